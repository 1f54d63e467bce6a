using System.Xml.Linq;
using Npgsql;
using NpgsqlTypes;

namespace PublicSafety.CrisisCapacity.Infrastructure;

/// <summary>
/// Availability as an OASIS EDXL-HAVE 1.0 document (<c>HospitalStatus</c>) for emergency-management systems. One
/// <c>Hospital</c> per facility, one <c>BedCapacity</c> per category. HAVE's bed types are hospital ones, so
/// <c>BedType</c> carries our category names (women, women_with_children, men, minors, detox). Only what crisis.read
/// may see: name, region, counts, last update; never the address or the location. <c>region</c> is the caller's reach
/// or a region inside it (null: every region).
/// </summary>
public sealed class EdxlHaveFeed(NpgsqlDataSource dataSource)
{
    public static readonly XNamespace Have = "urn:oasis:names:tc:emergency:EDXL:HAVE:1.0";
    public static readonly XNamespace Xnl = "urn:oasis:names:tc:ciq:xnl:3";

    public async Task<XDocument> BuildAsync(string? region, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT f.id, f.name, f.region, f.updated_at, a.category, a.total, a.out_of_service, a.available
            FROM facilities f JOIN bed_availability a ON a.facility_id = f.id
            WHERE @region::text IS NULL OR f.region = @region::text
            ORDER BY f.region, f.id, a.category
            """);
        cmd.Parameters.Add(new NpgsqlParameter<string?>("region", region) { NpgsqlDbType = NpgsqlDbType.Text });
        var root = new XElement(Have + "HospitalStatus",
            new XAttribute(XNamespace.Xmlns + "have", Have), new XAttribute(XNamespace.Xmlns + "xnl", Xnl));
        XElement? hospital = null;
        XElement? beds = null;
        Guid? current = null;
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var id = r.GetGuid(0);
            if (id != current)
            {
                current = id;
                beds = new XElement(Have + "HospitalBedCapacityStatus");
                hospital = new XElement(Have + "Hospital",
                    new XElement(Have + "Organization",
                        new XElement(Have + "OrganizationInformation",
                            new XElement(Xnl + "OrganisationName", new XAttribute(Xnl + "Type", "Facility"),
                                new XElement(Xnl + "NameElement", r.GetString(1))),
                            new XElement(Xnl + "OrganisationName", new XAttribute(Xnl + "Type", "Identifier"),
                                new XElement(Xnl + "NameElement", id.ToString())),
                            new XElement(Xnl + "OrganisationName", new XAttribute(Xnl + "Type", "Region"),
                                new XElement(Xnl + "NameElement", r.GetString(2))))),
                    beds,
                    new XElement(Have + "LastUpdateTime", r.GetFieldValue<DateTimeOffset>(3).ToString("yyyy-MM-ddTHH:mm:ssK")));
                root.Add(hospital);
            }

            var available = r.GetInt32(7);
            beds!.Add(new XElement(Have + "BedCapacity",
                new XElement(Have + "BedType", r.GetString(4)),
                new XElement(Have + "Capacity",
                    new XElement(Have + "CapacityStatus", available > 0 ? "VacantAvailable" : "NotAvailable"),
                    new XElement(Have + "AvailableCount", available),
                    new XElement(Have + "BaselineCount", r.GetInt32(5) - r.GetInt32(6)))));
        }

        return new XDocument(new XDeclaration("1.0", "utf-8", null), root);
    }
}
