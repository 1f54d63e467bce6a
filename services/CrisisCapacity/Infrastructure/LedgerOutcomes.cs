using PublicSafety.CrisisCapacity.Model;

namespace PublicSafety.CrisisCapacity.Infrastructure;

public abstract record ReserveOutcome
{
    public sealed record Created(Reservation Reservation) : ReserveOutcome;
    public sealed record Repeated(Reservation Reservation) : ReserveOutcome;
    public sealed record KeyReused : ReserveOutcome;
    public sealed record NotFound : ReserveOutcome;
    public sealed record OutOfRegion : ReserveOutcome;
    public sealed record Full(IReadOnlyList<AvailableBedsRow> Alternatives) : ReserveOutcome;
}

public abstract record PlaceOutcome
{
    public sealed record Placed(Placement Placement) : PlaceOutcome;
    public sealed record NotFound : PlaceOutcome;
    public sealed record OutOfRegion : PlaceOutcome;
    public sealed record NotHeld(string Status) : PlaceOutcome;
    public sealed record Repeated(Placement Placement) : PlaceOutcome;
    public sealed record KeyReused : PlaceOutcome;
    public sealed record Full(IReadOnlyList<AvailableBedsRow> Alternatives) : PlaceOutcome;
}
