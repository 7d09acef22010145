using System.Globalization;
using NationalId.Errors;
using NationalId.History;
using NationalId.RelyingParties;
using NationalId.Verification;

namespace NationalId.Citizens.Rules;

/// <summary>Mandate and guardianship rules, pure: ages from the birth date, the period a grant may have.</summary>
public static class MandateRules
{
    /// <summary>The principal's 16th birthday (00:00 UTC), when a guardianship ends.</summary>
    public static DateTimeOffset SixteenthBirthday(string birthDate)
    {
        var birth = DateOnly.ParseExact(birthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        return new DateTimeOffset(birth.AddYears(16).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
    }

    public static bool IsUnder16(string birthDate, DateTimeOffset now) =>
        DateOnly.FromDateTime(now.UtcDateTime) < DateOnly.FromDateTime(SixteenthBirthday(birthDate).UtcDateTime);

    /// <summary>
    /// Who may be a principal of this kind: a guardianship is for a minor (under 16), an ordinary mandate for anyone
    /// older. Null when allowed, else the refusal.
    /// </summary>
    public static string? Principal(MandateKind kind, bool under16) => kind switch
    {
        MandateKind.Guardianship when !under16 => ErrorCodes.PrincipalNotAMinor,
        MandateKind.Mandate when under16 => ErrorCodes.PrincipalIsAMinor,
        _ => null,
    };

    /// <summary>
    /// The end of a granted mandate: as asked, or the longest allowed (an ordinary mandate: from + <paramref name="maxDuration"/>;
    /// a guardianship: the minor's 16th birthday, never later). Null when the period is not valid (ends before it
    /// starts, is over already, or an ordinary mandate longer than the maximum).
    /// </summary>
    public static DateTimeOffset? Until(MandateKind kind, DateTimeOffset validFrom, DateTimeOffset? validUntil, DateTimeOffset sixteenth, DateTimeOffset now, TimeSpan maxDuration)
    {
        var until = kind == MandateKind.Guardianship
            ? (validUntil is { } u && u < sixteenth ? u : sixteenth)
            : validUntil ?? validFrom + maxDuration;
        return until <= validFrom || until <= now || (kind == MandateKind.Mandate && until - validFrom > maxDuration) ? null : until;
    }

    /// <summary>
    /// What is refused before the principal's face is even looked at: a guardianship anywhere but at a counter (where
    /// the guardian's face was matched on the guardian's own grain), or a principal of the wrong age for the kind (a
    /// minor's affairs go through a guardianship; an adult principal is present or signs).
    /// </summary>
    public static string? GrantChannel(MandateKind kind, ActionChannel channel, string principalBirthDate, DateTimeOffset now) =>
        kind == MandateKind.Guardianship && channel != ActionChannel.Counter
            ? ErrorCodes.ChannelNotAllowed
            : Principal(kind, IsUnder16(principalBirthDate, now));

    /// <summary>
    /// The terms of a grant, checked once the principal's face matched: not to themselves, a valid period
    /// (<see cref="Until"/>), fewer than <paramref name="maxMandates"/> in force. The refusal, or the mandate's end.
    /// </summary>
    public static (string? Refusal, DateTimeOffset Until) GrantTerms(
        MandateGrant grant, string principalHandle, string principalBirthDate, IEnumerable<MandateRecord> mandates, DateTimeOffset now, TimeSpan maxDuration, int maxMandates)
    {
        if (string.Equals(grant.DelegateHandle, principalHandle, StringComparison.Ordinal))
        {
            return (ErrorCodes.InvalidMandate, default);
        }

        if (Until(grant.Kind, grant.ValidFrom, grant.ValidUntil, SixteenthBirthday(principalBirthDate), now, maxDuration) is not { } until)
        {
            return (ErrorCodes.InvalidMandatePeriod, default);
        }

        return mandates.Count(m => !m.Revoked && m.ValidUntil > now) >= maxMandates ? (ErrorCodes.MandateLimitReached, default) : (null, until);
    }

    /// <summary>
    /// Who may end this mandate. A guardianship only by its guardian at a counter (the minor may be absent; the guardian's
    /// face was matched on the guardian's grain, so none is needed here): a ward cannot end their own guardianship. Naming
    /// a guardian who is not this mandate's is "not found". Null when allowed, and whether the guardian is the one ending it.
    /// </summary>
    public static (string? Refusal, bool ByGuardian) Revoker(MandateRecord? mandate, ActionChannel channel, string? guardianHandle)
    {
        var byGuardian = channel == ActionChannel.Counter && guardianHandle is not null
            && mandate is { Kind: MandateKind.Guardianship } && mandate.DelegateHandle == guardianHandle;
        if (guardianHandle is not null && !byGuardian)
        {
            return (ErrorCodes.MandateNotFound, false);
        }

        return mandate is { Kind: MandateKind.Guardianship } && !byGuardian ? (ErrorCodes.ChannelNotAllowed, false) : (null, byGuardian);
    }

    /// <summary>How long after the delegate's verification its principal may be asked to answer for it.</summary>
    public static readonly TimeSpan DelegationProofLifetime = TimeSpan.FromMinutes(2);

    /// <summary>
    /// A use of the principal's mandates by this delegate for this scope: the reason it is refused (no mandate, all
    /// revoked, none in force, none covering the scope, the principal locked, a match the scope does not allow) or
    /// null, and the mandate in force that covers the scope (recorded with the use).
    /// </summary>
    public static (string? Reason, MandateRecord? Mandate) Use(
        IEnumerable<MandateRecord> mandates, string delegateHandle, ScopePolicy scope, MatchRequest? match, bool principalLocked, DateTimeOffset now)
    {
        var granted = mandates.Where(m => m.DelegateHandle == delegateHandle).ToList();
        var live = granted.Where(m => !m.Revoked).ToList();
        var inForce = live.Where(m => m.ValidFrom <= now && now < m.ValidUntil).ToList();
        var covering = inForce.FirstOrDefault(m => m.Scopes.Contains(scope.Name, StringComparer.Ordinal));
        var reason = granted.Count == 0 ? RejectionReason.MandateNotFound
            : live.Count == 0 ? RejectionReason.MandateRevoked
            : inForce.Count == 0 ? RejectionReason.MandateNotInForce
            : covering is null ? RejectionReason.MandateScopeNotCovered
            : principalLocked ? RejectionReason.CitizenLocked
            : match is { } m && !scope.MatchAttributes.Contains(m.Attribute, StringComparer.Ordinal) ? RejectionReason.AttributeNotMatchable
            : null;
        return (reason, covering);
    }

    /// <summary>
    /// The assurance a delegate's own history line proves for a use of a mandate: a verified answer, on behalf of
    /// someone, to the same RP and scope, recorded within <see cref="DelegationProofLifetime"/> (and not after now plus
    /// the clock skew). Null otherwise: a message claiming a delegate proves nothing by itself.
    /// </summary>
    public static Assurance? DelegatedAssurance(HistoryRecord? proof, string relyingPartyId, string scopeName, DateTimeOffset now, TimeSpan clockSkew) =>
        proof is { Verified: true, Channel: "delegate", Assurance: { } assurance }
        && string.Equals(proof.RelyingPartyId, relyingPartyId, StringComparison.Ordinal)
        && string.Equals(proof.Scope, scopeName, StringComparison.Ordinal)
        && proof.RecordedAt >= now - DelegationProofLifetime
        && proof.RecordedAt <= now + clockSkew
            ? (Assurance)assurance
            : null;
}
