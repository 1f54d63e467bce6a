namespace PublicSafety.Cameras.Model;

/// <summary>The closed vocabularies of the registry, as stored in the <c>cameras</c> table and used in the API.</summary>
public static class CameraVocabulary
{
    public static readonly IReadOnlySet<string> Kinds = new HashSet<string>(StringComparer.Ordinal) { "fixed", "ptz", "body_worn" };

    public static readonly IReadOnlySet<string> SiteTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "street", "yard", "public_transport", "school", "park", "entertainment_venue", "road", "other",
    };

    public static readonly IReadOnlySet<string> Owners = new HashSet<string>(StringComparer.Ordinal)
    {
        "police", "akimat", "private_security", "school", "other",
    };

    public static readonly IReadOnlySet<string> Capabilities = new HashSet<string>(StringComparer.Ordinal)
    {
        "licence_plate_recognition", "face_recognition", "crowd_analytics", "night_vision", "audio",
    };

    public static readonly IReadOnlySet<string> Health = new HashSet<string>(StringComparer.Ordinal) { "unknown", "online", "offline" };
}
