namespace NationalId.Api;

public sealed record MandateListResponse(IReadOnlyList<MandateResponse> Mandates);
