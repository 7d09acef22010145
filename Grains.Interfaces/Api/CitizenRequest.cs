namespace NationalId.Api;

/// <summary>Operator: any request that names a citizen by ID number (in the body, never in a URL).</summary>
public sealed record CitizenRequest(string? IdNumber);
