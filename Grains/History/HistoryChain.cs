namespace NationalId.History;

/// <summary>
/// One writer's audit chain (deploy/sql/012_audit_chain.sql): a new chain per UTC day, advanced only by a write that
/// committed. <see cref="Begin"/> gives the links of one write from the current head; <see cref="Links.Commit"/> keeps
/// them once that write committed. Not thread-safe: each writer holds its own gate around a write.
/// </summary>
public sealed class HistoryChain
{
    private Guid _id;
    private DateOnly _day;
    private long _sequence;
    private byte[] _head = AuditChain.Genesis;

    public Links Begin(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (_id == Guid.Empty || _day != today)
        {
            (_id, _day, _sequence, _head) = (Guid.CreateVersion7(), today, 0, AuditChain.Genesis);
        }

        return new Links(this, _id, _sequence, _head);
    }

    public sealed class Links(HistoryChain owner, Guid id, long sequence, byte[] head)
    {
        public (Guid ChainId, long Sequence, byte[] Hash) Link(HistoryRecord r)
        {
            sequence++;
            head = AuditChain.Next(head, id, sequence, PostgresAccessHistory.Line(r));
            return (id, sequence, head);
        }

        public void Commit() => (owner._sequence, owner._head) = (sequence, head);
    }
}
