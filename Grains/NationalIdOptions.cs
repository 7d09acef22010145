namespace NationalId;

/// <summary>Service-wide settings, bound from the "NationalId" configuration section.</summary>
public sealed class NationalIdOptions
{
    public const string Section = "NationalId";

    /// <summary>Base64 secret (≥ 32 bytes) keying citizen handles. Rotating it re-keys every citizen: never casually.</summary>
    public string HandleSecret { get; set; } = string.Empty;

    /// <summary>Cosine similarity at or above which two face templates are the same person.</summary>
    public double FaceMatchThreshold { get; set; } = 0.80;

    /// <summary>Lowest liveness score accepted from a capture SDK.</summary>
    public double MinimumLiveness { get; set; } = 0.90;

    /// <summary>How far a phone's clock may differ from ours when judging a presentation's freshness.</summary>
    public TimeSpan PresentationClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Active phones a citizen may have bound at once.</summary>
    public int MaxActiveCredentials { get; set; } = 2;

    public TimeSpan ActivationCodeLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Wrong activation-code attempts after which the code is void.</summary>
    public int ActivationCodeMaxAttempts { get; set; } = 5;

    /// <summary>Longest time a silo serves an RP policy without asking the RP grain again (suspension delay bound).</summary>
    public TimeSpan RelyingPartyPolicyTtl { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long past its TTL a silo still serves a known RP's policy while the RP grain cannot be reached (its silo
    /// died and the grain is moving). Nobody can change the policy while its grain is unreachable, so this adds
    /// latency to a suspension only if the suspension was made in the instant before the grain's silo died.
    /// </summary>
    public TimeSpan RelyingPartyPolicyStaleGrace { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How far back a verification makes an RP part of a citizen's event audience (it may hold a cached result).</summary>
    public TimeSpan EventAudienceWindow { get; set; } = TimeSpan.FromDays(30);

    /// <summary>Presentation private keys of either suite; <see cref="CurrentPresentationKeyId"/> says which one wallets get.</summary>
    public List<PresentationKeyOptions> PresentationKeys { get; set; } = [];

    public uint CurrentPresentationKeyId { get; set; }

    /// <summary>Master keys that wrap citizens' data keys (encryption at rest); <see cref="CurrentMasterKeyId"/> wraps new writes.</summary>
    public List<MasterKeyOptions> MasterKeys { get; set; } = [];

    public uint CurrentMasterKeyId { get; set; }

    /// <summary>Failed in-person face matches (counter, printed card, guardian) allowed per citizen within the window.</summary>
    public int FaceFailureLimit { get; set; } = 5;

    public TimeSpan FaceFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long in-person attempts are refused once the limit is reached (the citizen's phones are told).</summary>
    public TimeSpan FaceFailureLockout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Lifetime of a printed card.</summary>
    public TimeSpan CardValidity { get; set; } = TimeSpan.FromDays(5 * 365 + 1);

    /// <summary>Longest mandate (guardianships end on the minor's 16th birthday instead).</summary>
    public TimeSpan MandateMaxDuration { get; set; } = TimeSpan.FromDays(5 * 365 + 1);

    public int MaxMandates { get; set; } = 20;

    /// <summary>
    /// When one credential is verified in two provinces too far apart for the time between (<see cref="Citizens.Rules.TravelRule"/>):
    /// the citizen is always told; with this set, the credential is also suspended and the second verification refused.
    /// </summary>
    public bool SuspendOnTravelAnomaly { get; set; }

    /// <summary>The registration authority's public key, to which statutory registrations are sealed.</summary>
    public Statutory.AuthorityOptions Authority { get; set; } = new();

    /// <summary>Verifications per second per RP per silo when the RP has no rate of its own (0: unlimited).</summary>
    public int DefaultRateLimitPerSecond { get; set; } = 5000;

    /// <summary>Region → province codes; empty means <see cref="Placement.RegionMap.Default"/> (docs/decisions/scaling.md).</summary>
    public Dictionary<string, List<string>> Regions { get; set; } = [];

    /// <summary>
    /// How long the gateway keeps retrying a verification through the cluster when the silo holding the citizen dies
    /// mid-call (the same verification id each time, so it is never recorded or consumed twice).
    /// </summary>
    public TimeSpan VerificationDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Capture-SDK vendors trusted from the start (docs/reference/protocol.md §4.1); operators register more and revoke any at
    /// run time, and a stored revocation wins over this list.
    /// </summary>
    public List<CaptureVendorOptions> CaptureVendors { get; set; } = [];

    /// <summary>How long a capture challenge may be used after it was issued; the capture must be made within it.</summary>
    public TimeSpan CaptureChallengeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest time a silo trusts its copy of the vendor list (the bound on a vendor revocation's delay).</summary>
    public TimeSpan CaptureVendorRefresh { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a phone bound remotely (face, not a counter code) stays provisional: it cannot suspend, revoke or lock
    /// the citizen's other phones, change the residence or grant mandates, and the other phones and counters can cancel it.
    /// </summary>
    public TimeSpan RemoteBindingCoolingOff { get; set; } = TimeSpan.FromHours(72);
}

/// <summary>A capture-SDK vendor: its id (a-z, 0-9, '-'), its name and its P-256 public key (base64url of the 65-byte point).</summary>
public sealed class CaptureVendorOptions
{
    public string Id { get; set; } = string.Empty;

    public string Name { get; set; } = string.Empty;

    public string PublicKey { get; set; } = string.Empty;
}

/// <summary>A master key: its id (stored next to every wrapped data key) and 32 random bytes in base64.</summary>
public sealed class MasterKeyOptions
{
    public uint Id { get; set; }

    public string Key { get; set; } = string.Empty;
}

/// <summary>
/// One presentation key: its id, its suite (1: P-256, private key as PKCS#8; 2: X25519, private key as 32 raw bytes),
/// and the private key in base64.
/// </summary>
public sealed class PresentationKeyOptions
{
    public uint Id { get; set; }

    public byte Suite { get; set; } = 1;

    public string PrivateKey { get; set; } = string.Empty;
}
