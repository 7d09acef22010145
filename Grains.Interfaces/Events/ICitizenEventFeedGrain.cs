namespace NationalId.Events;

/// <summary>Marker interface of the implicit subscriber of citizen event streams (it has no methods of its own).</summary>
[Alias("nid.ICitizenEventFeedGrain")]
public interface ICitizenEventFeedGrain : IGrainWithStringKey;
