using DnsMcs.Server;

namespace DnsMcs.Tests.Server;

public sealed class TcpFramesTests
{
    private static readonly byte[] Query1 = [1, 1, 0, 0, 0, 1];
    private static readonly byte[] Query2 = [2, 2, 0, 0, 0, 1, 9, 9];

    [Fact]
    public void Answer_TwoWholeFrames_AnswersBothInOrder()
    {
        var input = RunningServer.Frame(Query1, Query2);
        var output = new byte[TcpFrames.MaxFrame * 2];

        var batch = TcpFrames.Answer(input, output, new EchoResponder(), DnsPeer.None);

        Assert.Equal(new TcpBatch(input.Length, input.Length, Close: false, Needed: 0), batch);
        Assert.Equal(RunningServer.Frame(EchoResponder.Expected(Query1), EchoResponder.Expected(Query2)), output[..batch.Written]);
    }

    public static TheoryData<int, int, int> Partial => new()
    {
        // bytes of the second frame present -> consumed, needed
        { 0, 8, 0 },
        { 1, 8, 2 },
        { 2, 8, 10 },
        { 9, 8, 10 },
    };

    [Theory]
    [MemberData(nameof(Partial))]
    public void Answer_PartialFrame_ConsumesWholeFramesAndSaysWhatIsNeeded(int present, int consumed, int needed)
    {
        var input = RunningServer.Frame(Query1, Query2)[..(8 + present)];
        var output = new byte[TcpFrames.MaxFrame];

        var batch = TcpFrames.Answer(input, output, new EchoResponder(), DnsPeer.None);

        Assert.Equal(consumed, batch.Consumed);
        Assert.Equal(needed, batch.Needed);
        Assert.False(batch.Close);
    }

    [Fact]
    public void Answer_DroppedMessage_StopsAfterEarlierAnswersAndCloses()
    {
        var input = RunningServer.Frame(Query1, [EchoResponder.Drop, 0, 0, 0], Query2);
        var output = new byte[TcpFrames.MaxFrame * 2];

        var batch = TcpFrames.Answer(input, output, new EchoResponder(), DnsPeer.None);

        Assert.True(batch.Close);
        Assert.Equal(8 + 6, batch.Consumed);
        Assert.Equal(RunningServer.Frame(EchoResponder.Expected(Query1)), output[..batch.Written]);
    }

    [Fact]
    public void Answer_EmptyFrame_Closes()
    {
        var batch = TcpFrames.Answer(new byte[] { 0, 0 }, new byte[TcpFrames.MaxFrame], new EchoResponder(), DnsPeer.None);

        Assert.True(batch.Close);
        Assert.Equal(0, batch.Written);
    }

    [Fact]
    public void Answer_OutputFull_StopsBeforeNextFrame()
    {
        byte[] huge = [EchoResponder.Huge, 0, 0, 0];
        var input = RunningServer.Frame(huge, huge, huge);
        var output = new byte[TcpFrames.MaxFrame * 2];

        var batch = TcpFrames.Answer(input, output, new EchoResponder(), DnsPeer.None);

        Assert.Equal(12, batch.Consumed);
        Assert.Equal(2 * TcpFrames.MaxFrame, batch.Written);
        Assert.Equal(0, batch.Needed);
    }
}
