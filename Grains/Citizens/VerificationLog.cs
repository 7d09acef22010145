using Microsoft.Extensions.Logging;
using NationalId.Errors;
using NationalId.History;
using NationalId.Protocol;
using NationalId.RelyingParties;
using NationalId.Verification;

namespace NationalId.Citizens;

/// <summary>
/// A citizen's verification lines and their single-use fence: the replay window of consumed nonces (in memory,
/// loaded from the recent history at first use), the append that records a decided verification (the durable fence
/// behind the window: a nonce is consumed once even when two activations of the citizen briefly coexist), and the
/// release of a nonce whose line could not be stored.
/// </summary>
internal sealed class VerificationLog(string handle, IAccessHistory history, Statutory.StatutorySealer? registrations, NationalIdOptions options, ILogger logger)
{
    /// <summary>
    /// Reloaded with a margin beyond the validity window: a gateway retry, or a silo whose clock is behind, may still
    /// bring a presentation the window would otherwise have forgotten (the durable fence backs it up either way).
    /// </summary>
    private static readonly TimeSpan ReloadMargin = TimeSpan.FromMinutes(2);

    private ReplayGuard? _replay;

    /// <summary>
    /// The gateway's verification id when it is a UUIDv7 of about now (its time becomes the line's time and partition);
    /// anything else a caller sends gets a fresh id.
    /// </summary>
    public static Guid IdFor(Guid requested, DateTimeOffset now) =>
        UuidV7.TryTimestamp(requested, out var at) && (at - now).Duration() < TimeSpan.FromMinutes(5) ? requested : Guid.CreateVersion7(now);

    public Task<HistoryRecord?> Find(Guid verificationId) => history.FindVerificationAsync(handle, verificationId);

    public async ValueTask<ReplayGuard> Window(DateTimeOffset now)
    {
        if (_replay is { Loaded: true })
        {
            return _replay;
        }

        var retention = ProtocolConstants.PresentationLifetime + (2 * options.PresentationClockSkew) + ReloadMargin;
        var guard = new ReplayGuard(retention);
        guard.Load(await history.RecentNoncesAsync(handle, now - retention), now);
        _replay = guard;
        return guard;
    }

    /// <summary>
    /// Records a refusal. Only a decision that consumed the nonce is recorded under the request's id (and at its time):
    /// a retried attempt refused before that (bad signature, expired, replayed) is recorded again under a new id, never
    /// twice under one.
    /// </summary>
    public async Task<CitizenVerificationOutcome> Refuse(AuthorizedVerification request, string reason, bool crossProvince, bool consumedNonce, Guid? verificationId, DateTimeOffset now)
    {
        var result = verificationId is { } id
            ? VerificationResult.Rejected(reason, UuidV7.Timestamp(id)) with { VerificationId = id }
            : VerificationResult.Rejected(reason, now);
        return new CitizenVerificationOutcome(await Append(request, result, [], crossProvince, consumedNonce) ?? result, crossProvince);
    }

    /// <summary>
    /// For a scope the law makes register (hotel check-in, rail boarding): who, when, where, sealed to the registration
    /// authority and kept with the history line. The RP gets only its answer and pseudonym.
    /// </summary>
    public byte[]? Registration(CitizenState citizen, ScopePolicy scope, string relyingPartyId, string place, VerificationResult result) =>
        scope.StatutoryRegistration && result.Verified
            ? registrations?.Seal(new StatutorySeal.Registration(
                citizen.IdNumber, citizen.Name, result.CheckedAt, relyingPartyId, place, scope.Name, result.VerificationId))
            : null;

    /// <summary>
    /// A line with no nonce, for a verification in person or a mandate's use (its channel), stored or the call fails.
    /// </summary>
    public Task Append(VerificationResult result, byte[]? credentialId, string relyingPartyId, ScopePolicy scope, string rpProvince, bool crossProvince, string channel, string? note = null, byte[]? registration = null) =>
        history.AppendAsync(new HistoryRecord(
            result.VerificationId, result.CheckedAt, handle, HistoryKind.Verification, credentialId, null, relyingPartyId, scope.Name,
            result.Verified, result.Reason, (short)result.Assurance, [.. result.Attributes.Keys], rpProvince, crossProvince, channel, note,
            registration));

    /// <summary>
    /// Records a phone's verification; null when recorded as decided. When the durable fence found the nonce consumed
    /// by another activation of this citizen, the "replayed" rejection that was recorded instead, to answer.
    /// </summary>
    public async Task<VerificationResult?> Append(AuthorizedVerification request, VerificationResult result, string[] disclosed, bool crossProvince, bool consumedNonce, byte[]? registration = null)
    {
        var line = new HistoryRecord(
            result.VerificationId,
            result.CheckedAt,
            handle,
            HistoryKind.Verification,
            request.CredentialId,
            consumedNonce ? request.Nonce : null,
            request.RelyingPartyId,
            request.Scope.Name,
            result.Verified,
            result.Reason,
            (short)result.Assurance,
            disclosed,
            request.RelyingPartyProvince,
            crossProvince,
            Channel: request.OnBehalf ? "delegate" : null,
            SealedRegistration: registration,
            PresentationIssuedAt: consumedNonce ? request.IssuedAt : null);
        HistoryRecord? replaced;
        try
        {
            replaced = await history.AppendAsync(line);
        }
        catch
        {
            // Not recorded means not answered: give the nonce back so the RP may retry the same QR.
            if (consumedNonce)
            {
                _replay?.Release(request.Nonce);
            }

            throw;
        }

        if (replaced is null)
        {
            return null;
        }

        logger.LogWarning("A presentation consumed by another activation of this citizen was answered replayed");
        return VerificationResult.Rejected(RejectionReason.Replayed, replaced.RecordedAt) with { VerificationId = replaced.EventId };
    }
}
