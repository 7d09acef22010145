namespace NationalId.Citizens;

[GenerateSerializer, Immutable, Alias("nid.MandateResult")]
public sealed record MandateResult(
    [property: Id(0)] string? Error,
    [property: Id(1)] IReadOnlyList<MandateView> Mandates);
