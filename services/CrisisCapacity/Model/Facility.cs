namespace PublicSafety.CrisisCapacity.Model;

public sealed record FacilityServices(bool Psychologist, bool Lawyer, bool MedicalCare, bool AcceptsChildren, bool Accessible);

public sealed record BedCount(string Category, int Total, int OutOfService);

/// <summary>What a manager states about a facility (validated at the edge).</summary>
public sealed record FacilityData(
    string Kind, string Name, string Region, string Settlement, double Latitude, double Longitude, string ConfidentialAddress,
    string? Phone, string? Email, FacilityServices Services, bool OpenAtNight, IReadOnlyList<BedCount> Beds);

public sealed record CategoryAvailability(string Category, int Total, int OutOfService, int Occupied, int Reserved, int Available);

public sealed record Facility(Guid Id, FacilityData Data, IReadOnlyList<CategoryAvailability> Availability, bool Synthetic);
