namespace NationalId.Citizens;

[GenerateSerializer, Immutable, Alias("nid.MandateView")]
public sealed record MandateView(
    [property: Id(0)] string MandateId,
    [property: Id(1)] MandateKind Kind,
    [property: Id(2)] string[] Scopes,
    [property: Id(3)] DateTimeOffset ValidFrom,
    [property: Id(4)] DateTimeOffset ValidUntil,
    [property: Id(5)] bool Revoked,
    [property: Id(6)] DateTimeOffset GrantedAt);
