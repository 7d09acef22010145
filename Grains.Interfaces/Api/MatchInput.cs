namespace NationalId.Api;

public sealed record MatchInput(string? Attribute, string? Value);
