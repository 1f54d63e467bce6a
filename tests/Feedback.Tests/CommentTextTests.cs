using PublicSafety.Feedback.Model;

namespace PublicSafety.Feedback.Tests;

public sealed class CommentTextTests
{
    [Theory]
    [InlineData("call +7 701 123 45 67 please", "call [masked] please")]
    [InlineData("call 8 (701) 123-45-67", "call [masked]")]
    [InlineData("87011234567", "[masked]")]
    [InlineData("+77172123456 is the office", "[masked] is the office")]
    [InlineData("IIN 900101300123.", "IIN [masked].")]
    [InlineData("write to aigerim.b@mail.kz", "write to [masked]")]
    [InlineData("77011234567", "[masked]")]
    [InlineData("call 7 701 123 45 67", "call [masked]")]
    [InlineData("my mobile 701 123 45 67, evenings", "my mobile [masked], evenings")]
    [InlineData("(701) 123-45-67", "[masked]")]
    [InlineData("7011234567", "[masked]")]
    [InlineData("701-123-4567", "[masked]")]
    [InlineData("office 7172 12 34 56", "office [masked]")]
    [InlineData("IIN 900101 300123", "IIN [masked]")]
    [InlineData("IIN 900101-300123", "IIN [masked]")]
    [InlineData("IIN 770101300123", "IIN [masked]")]
    [InlineData("case 1234 took 3 days", "case 1234 took 3 days")]
    [InlineData("in 2025 it was better", "in 2025 it was better")]
    [InlineData("on 01.02.2025 at 7:30", "on 01.02.2025 at 7:30")]
    [InlineData("they took 150 000 тенге", "they took 150 000 тенге")]
    [InlineData("a fine of 7 500 000 000 тенге", "a fine of 7 500 000 000 тенге")]
    [InlineData("complaint № 12345 of 2025-07-01 12:30", "complaint № 12345 of 2025-07-01 12:30")]
    [InlineData("patrol 7 arrived after 70 minutes", "patrol 7 arrived after 70 minutes")]
    [InlineData("   ", null)]
    public void PersonalDataIsMaskedAndTheRestKept(string text, string? expected) => Assert.Equal(expected, CommentText.Masked(text));

    [Fact]
    public void ControlCharactersAndOverlongTextAreRefusedButLineBreaksAreFine()
    {
        Assert.Null(CommentText.Problem("line one\nline two\ttab", 100));
        Assert.NotNull(CommentText.Problem("bell\u0007", 100));
        Assert.NotNull(CommentText.Problem("abc\u202Edef", 100));
        Assert.NotNull(CommentText.Problem(new string('x', 101), 100));
        Assert.NotNull(CommentText.Problem("nul\u0000", 100));
        Assert.NotNull(CommentText.Problem("escape \u001b[2J", 100));
        Assert.NotNull(CommentText.Problem("half \uD800 a pair", 100));
        Assert.NotNull(CommentText.Problem("reversed \uDC00\uD83D", 100));
        Assert.Null(CommentText.Problem("thanks \U0001F44D, Қазақстан", 100));
    }

    [Fact]
    public void SurveyTokensAreLongRandomAndOnlyTheirHashIsComparable()
    {
        var tokens = Enumerable.Range(0, 1000).Select(_ => SurveyToken.New()).ToArray();
        Assert.All(tokens, t => Assert.True(SurveyToken.IsWellFormed(t)));
        Assert.Equal(tokens.Length, tokens.Distinct().Count());
        Assert.Equal(32, SurveyToken.Hash(tokens[0]).Length);
        Assert.False(SurveyToken.IsWellFormed(tokens[0][..42]));
        var code = ReferenceCode.New();
        Assert.True(ReferenceCode.IsWellFormed(code), code);
        Assert.False(ReferenceCode.IsWellFormed(code.Replace('-', '_')));
    }
}
