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
    [InlineData("case 1234 took 3 days", "case 1234 took 3 days")]
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
