namespace NationalId.Citizens;

[GenerateSerializer, Immutable, Alias("nid.CardIssueResult")]
public sealed record CardIssueResult(
    [property: Id(0)] string? Error,
    [property: Id(1)] byte[]? CardId,
    [property: Id(2)] DateTimeOffset ExpiresAt);
