namespace NationalId.Api;

/// <summary>One line of an RP's own verification log (no citizen identifier: the RP kept the pseudonyms it got).</summary>
public sealed record RelyingPartyLogEntryView(
    Guid VerificationId,
    DateTimeOffset At,
    string? Scope,
    bool? Verified,
    string? Reason,
    string? Assurance,
    string[]? DisclosedAttributes,
    bool? CrossProvince);
