using System.Globalization;
using System.Text.Json.Serialization;
using NationalId.IdNumbers;

namespace NationalId.Citizens;

/// <summary>
/// A citizen's persistent state: small, rewritten whole on every write. No histories here (they live in the
/// append-only history tables). The personal fields ([JsonIgnore] here) are stored sealed under the citizen's data
/// key (<see cref="Security.CitizenDataProtector"/>), never in clear.
/// </summary>
[GenerateSerializer, Alias("nid.CitizenState")]
public sealed class CitizenState
{
    [Id(0)] public bool Enrolled { get; set; }

    [Id(1)][JsonIgnore] public string IdNumber { get; set; } = string.Empty;

    [Id(2)][JsonIgnore] public string Name { get; set; } = string.Empty;

    [Id(3)][JsonIgnore] public string Sex { get; set; } = string.Empty;

    /// <summary>ISO date (yyyy-MM-dd).</summary>
    [Id(4)][JsonIgnore] public string BirthDate { get; set; } = string.Empty;

    [Id(5)] public string HomeProvince { get; set; } = string.Empty;

    [Id(6)][JsonIgnore] public string? ResidenceProvince { get; set; }

    /// <summary>Enrolled face template, float32 little-endian. Never returned, never logged.</summary>
    [Id(7)][JsonIgnore] public byte[] FaceTemplate { get; set; } = [];

    /// <summary>Keys this citizen's per-RP pseudonyms.</summary>
    [Id(8)][JsonIgnore] public byte[] PseudonymSecret { get; set; } = [];

    [Id(9)] public DateTimeOffset EnrolledAt { get; set; }

    [Id(10)] public List<CredentialRecord> Credentials { get; set; } = [];

    /// <summary>SHA-256 of the pending counter activation code.</summary>
    [Id(11)] public byte[]? ActivationCodeHash { get; set; }

    [Id(12)] public DateTimeOffset ActivationCodeExpiresAt { get; set; }

    [Id(13)] public int ActivationCodeFailures { get; set; }

    /// <summary>"Lock my identity": every remote verification refused until unlocked with a face match.</summary>
    [Id(14)] public bool Locked { get; set; }

    /// <summary>
    /// Events stored in the same write as the change they describe, then delivered to the history (and the event
    /// stream) and removed: a crash between the two leaves them here, and the next activation delivers them.
    /// </summary>
    [Id(15)] public List<PendingEvent> Outbox { get; set; } = [];

    /// <summary>Recent failed in-person face matches (counter, printed card), within the failure window.</summary>
    [Id(16)] public List<DateTimeOffset> FaceFailures { get; set; } = [];

    /// <summary>Set when too many in-person face matches failed: until then every in-person attempt is refused.</summary>
    [Id(17)] public DateTimeOffset? FaceLockedUntil { get; set; }

    /// <summary>Printed cards, the current one last; a reprint revokes the previous one.</summary>
    [Id(18)] public List<CardRecord> Cards { get; set; } = [];

    /// <summary>Mandates this citizen granted (as principal), revoked ones kept for the record.</summary>
    [Id(19)] public List<MandateRecord> Mandates { get; set; } = [];

    // Ids 20-22 held the in-memory data key beside these fields; it now lives in Sealing, outside the persisted shape.

    /// <summary>Recent failed remote face matches (phone binding, mandate from a phone): a limit of their own.</summary>
    [Id(23)] public List<DateTimeOffset> RemoteFaceFailures { get; set; } = [];

    [Id(24)] public DateTimeOffset? RemoteFaceLockedUntil { get; set; }

    /// <summary>
    /// The grain key this state belongs to (not personal: the handle is a keyed hash). The sealed personal data is bound
    /// to it, and the grain refuses state whose handle is not its own key: a row copied under another key is useless.
    /// </summary>
    [Id(25)] public string Handle { get; set; } = string.Empty;

    /// <summary>
    /// Capture challenges consumed by this citizen's remote face attempts, kept until they expire: an attested capture
    /// counts once (kept for unknown numbers too, so both answer alike).
    /// </summary>
    [Id(26)] public List<UsedChallenge> UsedCaptureChallenges { get; set; } = [];

    /// <summary>
    /// In memory only, never serialized (no <c>[Id]</c>, <c>[JsonIgnore]</c>): the citizen's data key as the storage
    /// serializer unwrapped it at read, reused at every write (<see cref="Security.CitizenDataProtector"/>). Null until
    /// the state is first read or sealed.
    /// </summary>
    [JsonIgnore, NonSerialized] internal Security.DataKeyInMemory? Sealing;

    /// <summary>A newly enrolled citizen's state: the attributes the ID number carries, the enrolment's, a fresh pseudonym secret.</summary>
    public static CitizenState Enroll(string handle, ResidentIdNumber idNumber, CitizenEnrollment enrollment, byte[] pseudonymSecret, DateTimeOffset now) => new()
    {
        Enrolled = true,
        Handle = handle,
        IdNumber = idNumber.Value,
        Name = enrollment.Name,
        Sex = idNumber.Sex,
        BirthDate = idNumber.BirthDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        HomeProvince = idNumber.ProvinceCode,
        ResidenceProvince = enrollment.ResidenceProvince,
        FaceTemplate = Rules.FaceMatcher.Pack(enrollment.Face.Template),
        PseudonymSecret = pseudonymSecret,
        EnrolledAt = now,
    };

    /// <summary>What the gateway may know of a citizen: enrolled, home province, the phones' status, locked.</summary>
    public static CitizenSummary Summary(CitizenState citizen, DateTimeOffset now) => new(
        citizen.Enrolled,
        citizen.Enrolled ? citizen.HomeProvince : null,
        citizen.Credentials.Select(c => new CredentialSummary(
            c.CredentialId, c.Status, c.Assurance, c.BoundAt, c.DeviceLabel, c.StatusChangedAt, c.StatusReason, c.IsProvisional(now) ? c.ProvisionalUntil : null)).ToList(),
        citizen.Locked);

    /// <summary>The failure counter of in-person face attempts, or of remote ones.</summary>
    public Rules.FaceCounter FaceCounter(bool remote) =>
        remote ? new(RemoteFaceFailures, RemoteFaceLockedUntil) : new(FaceFailures, FaceLockedUntil);

    public void SetFaceCounter(bool remote, Rules.FaceCounter counter)
    {
        if (remote)
        {
            (RemoteFaceFailures, RemoteFaceLockedUntil) = ([.. counter.Failures], counter.LockedUntil);
        }
        else
        {
            (FaceFailures, FaceLockedUntil) = ([.. counter.Failures], counter.LockedUntil);
        }
    }

    /// <summary>The bound phone with this credential id, or null.</summary>
    public CredentialRecord? FindCredential(ReadOnlySpan<byte> credentialId)
    {
        foreach (var c in Credentials)
        {
            if (c.CredentialId.AsSpan().SequenceEqual(credentialId))
            {
                return c;
            }
        }

        return null;
    }
}

/// <summary>A consumed capture challenge (its MAC half) and when it would have expired anyway.</summary>
[GenerateSerializer, Alias("nid.UsedChallenge")]
public sealed class UsedChallenge
{
    [Id(0)] public byte[] Id { get; set; } = [];

    [Id(1)] public DateTimeOffset ExpiresAt { get; set; }
}

/// <summary>One printed card: a static QR carrying (sealed) this id and the citizen's handle.</summary>
[GenerateSerializer, Alias("nid.CardRecord")]
public sealed class CardRecord
{
    [Id(0)] public byte[] CardId { get; set; } = [];

    [Id(1)] public DateTimeOffset IssuedAt { get; set; }

    [Id(2)] public DateTimeOffset ExpiresAt { get; set; }

    [Id(3)] public bool Revoked { get; set; }
}

/// <summary>A mandate this citizen granted: to whom (handle), for which scopes, when.</summary>
[GenerateSerializer, Alias("nid.MandateRecord")]
public sealed class MandateRecord
{
    [Id(0)] public string MandateId { get; set; } = string.Empty;

    [Id(1)] public string DelegateHandle { get; set; } = string.Empty;

    [Id(2)] public MandateKind Kind { get; set; }

    [Id(3)] public string[] Scopes { get; set; } = [];

    [Id(4)] public DateTimeOffset ValidFrom { get; set; }

    [Id(5)] public DateTimeOffset ValidUntil { get; set; }

    [Id(6)] public DateTimeOffset GrantedAt { get; set; }

    [Id(7)] public bool Revoked { get; set; }
}
