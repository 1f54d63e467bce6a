using Grpc.Core;
using PublicSafety.Contracts.Crisis.V1;
using PublicSafety.CrisisCapacity.Infrastructure;
using PublicSafety.CrisisCapacity.Model;
using PublicSafety.ServiceDefaults.Auth;

namespace PublicSafety.CrisisCapacity.Grpc;

/// <summary>
/// <c>publicsafety.crisis.v1.BedAvailability</c>: free beds for duty units, counts only, with the same reach and grid as
/// the REST search (<see cref="CrisisAccess"/>, <see cref="LocationGrid"/>).
/// </summary>
public sealed class BedAvailabilityService(AvailabilityQueries queries) : BedAvailability.BedAvailabilityBase
{
    public const int DefaultMaxResults = 20;
    public const int MaxResults = 200;
    public const double DefaultRadiusMeters = 100_000;
    public const double MaxRadiusMeters = 2_000_000;

    public override async Task<FindAvailableBedsResponse> FindAvailableBeds(FindAvailableBedsRequest request, ServerCallContext context)
    {
        var search = Validate(request, CrisisAccess.Of(context.GetHttpContext().User));
        var rows = await queries.SearchAsync(search, context.CancellationToken);
        var response = new FindAvailableBedsResponse();
        response.Results.AddRange(rows.Select(ToMessage));
        return response;
    }

    private static AvailabilitySearch Validate(FindAvailableBedsRequest request, CrisisAccess access)
    {
        static RpcException Invalid(string message) => new(new Status(StatusCode.InvalidArgument, message));

        if (request.HasRegion && !Regions.IsValid(request.Region))
        {
            throw Invalid("region must be an ISO 3166-2:KZ region code, e.g. KZ-75.");
        }

        if (request.Near is { } near)
        {
            if (!double.IsFinite(near.Latitude) || near.Latitude is < -90 or > 90)
            {
                throw Invalid("near.latitude must be between -90 and 90.");
            }

            if (!double.IsFinite(near.Longitude) || near.Longitude is < -180 or > 180)
            {
                throw Invalid("near.longitude must be between -180 and 180.");
            }
        }
        else if (!request.HasRegion)
        {
            throw Invalid("Give a region or a point (near).");
        }

        if (!double.IsFinite(request.RadiusMeters) || request.RadiusMeters is < 0 or > MaxRadiusMeters
            || request.RadiusMeters is > 0 and < LocationGrid.CellMeters)
        {
            throw Invalid($"radius_meters must be between {LocationGrid.CellMeters:0} (the location grid) and {MaxRadiusMeters:0}, or 0 for {DefaultRadiusMeters:0}.");
        }

        if (request.Children is < 0 or > 11)
        {
            throw Invalid("children must be between 0 and 11.");
        }

        if (request.MaxResults is < 0 or > MaxResults)
        {
            throw Invalid($"max_results must be between 1 and {MaxResults} (0 means {DefaultMaxResults}).");
        }

        var category = request.Category == BedCategory.Unspecified
            ? null
            : CategoryName(request.Category) ?? throw Invalid($"category {request.Category} is unknown.");
        if (request.HasRegion && !access.Reaches(request.Region))
        {
            throw new RpcException(new Status(StatusCode.PermissionDenied, "A caller limited to a region searches that region only."));
        }

        return new AvailabilitySearch(request.HasRegion ? request.Region.ToUpperInvariant() : access.ReachRegion, request.Near?.Latitude, request.Near?.Longitude,
            request.RadiusMeters == 0 ? DefaultRadiusMeters : request.RadiusMeters, category, request.Children, request.Accessible,
            request.MaxResults == 0 ? DefaultMaxResults : request.MaxResults, access.ExactRegions);
    }

    private static AvailableBeds ToMessage(AvailableBedsRow row)
    {
        var message = new AvailableBeds
        {
            FacilityId = row.FacilityId.ToString(),
            Name = row.Name,
            Kind = row.Kind switch
            {
                "crisis_centre_state" => FacilityKind.CrisisCentreState,
                "crisis_centre_ngo" => FacilityKind.CrisisCentreNgo,
                "detox_centre" => FacilityKind.DetoxCentre,
                _ => FacilityKind.Unspecified,
            },
            Region = row.Region,
            Settlement = row.Settlement,
            Category = Category(row.Category),
            Available = row.Available,
            Total = row.Total,
            AcceptsChildren = row.AcceptsChildren,
            Accessible = row.Accessible,
            OpenAtNight = row.OpenAtNight,
        };
        if (row.DistanceMeters is { } d)
        {
            message.DistanceMeters = LocationGrid.RoundMeters(d, row.Exact);
        }

        return message;
    }

    private static string? CategoryName(BedCategory category) => category switch
    {
        BedCategory.Women => "women",
        BedCategory.WomenWithChildren => "women_with_children",
        BedCategory.Men => "men",
        BedCategory.Minors => "minors",
        BedCategory.Detox => "detox",
        _ => null,
    };

    private static BedCategory Category(string name) => name switch
    {
        "women" => BedCategory.Women,
        "women_with_children" => BedCategory.WomenWithChildren,
        "men" => BedCategory.Men,
        "minors" => BedCategory.Minors,
        "detox" => BedCategory.Detox,
        _ => BedCategory.Unspecified,
    };
}
