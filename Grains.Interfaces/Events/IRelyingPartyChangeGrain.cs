namespace NationalId.Events;

/// <summary>Marker interface of the implicit subscriber of RP change streams.</summary>
[Alias("nid.IRelyingPartyChangeGrain")]
public interface IRelyingPartyChangeGrain : IGrainWithStringKey;
