using PublicSafety.Contracts.Cameras.V1;

namespace PublicSafety.Cameras.Grpc;

/// <summary>Between the proto enums and the names stored in the <c>cameras</c> table.</summary>
internal static class CameraMapping
{
    public static string? KindName(CameraKind kind) => kind switch
    {
        CameraKind.Fixed => "fixed",
        CameraKind.Ptz => "ptz",
        CameraKind.BodyWorn => "body_worn",
        _ => null,
    };

    public static CameraKind Kind(string name) => name switch
    {
        "fixed" => CameraKind.Fixed,
        "ptz" => CameraKind.Ptz,
        "body_worn" => CameraKind.BodyWorn,
        _ => CameraKind.Unspecified,
    };

    public static string? StatusName(CameraStatus status) => status switch
    {
        CameraStatus.Planned => "planned",
        CameraStatus.Installed => "installed",
        CameraStatus.Active => "active",
        CameraStatus.Maintenance => "maintenance",
        CameraStatus.Decommissioned => "decommissioned",
        _ => null,
    };

    public static CameraStatus Status(string name) => name switch
    {
        "planned" => CameraStatus.Planned,
        "installed" => CameraStatus.Installed,
        "active" => CameraStatus.Active,
        "maintenance" => CameraStatus.Maintenance,
        "decommissioned" => CameraStatus.Decommissioned,
        _ => CameraStatus.Unspecified,
    };
}
