namespace NationalId.Tests.EndToEnd;

/// <summary>End-to-end classes that share one running gateway (starting a silo costs seconds).</summary>
[CollectionDefinition(Name)]
public sealed class GatewayCollection : ICollectionFixture<GatewayFixture>
{
    public const string Name = "gateway";
}
