namespace NationalId.Citizens;

/// <summary>The answer of a state-changing grain call: success, or a stable error code (docs/reference/api.md).</summary>
[GenerateSerializer, Immutable, Alias("nid.OperationOutcome")]
public sealed record OperationOutcome([property: Id(0)] string? Error)
{
    public static OperationOutcome Ok { get; } = new((string?)null);

    public bool Succeeded => Error is null;

    public static OperationOutcome Fail(string code) => new(code);
}
