namespace NationalId.Api;

/// <summary>The card's static QR (to print), and when it expires. Shown once; the service keeps only the card's id.</summary>
public sealed record IssueCardResponse(string CardQr, DateTimeOffset ExpiresAt);
