namespace PublicSafety.Feedback.Pages;

/// <summary>
/// The pages' texts: CitizenTexts.resx (English, also the fallback), CitizenTexts.kk.resx and CitizenTexts.ru.resx. Markup holds
/// no words of its own. Keys are named by what they say; vocabularies use the wire names (Kind_call_102, Region_KZ-75).
/// </summary>
public sealed class CitizenTexts;
