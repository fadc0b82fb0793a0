namespace Benchmarks.Stores.Blob;

/// <summary>
/// The bytes of an artifact, made as they are read: a read-only stream of <c>length</c> bytes that repeats one
/// block of seeded random bytes (incompressible within the block), so an upload of gigabytes holds one block
/// in memory, not the artifact.
/// </summary>
internal sealed class ArtifactContent(ReadOnlyMemory<byte> block, long length) : Stream
{
    private long _position;

    /// <summary>A block of <paramref name="size"/> pseudo-random bytes from <paramref name="seed"/>.</summary>
    public static byte[] Block(ulong seed, int size)
    {
        var block = new byte[size];
        new Random(unchecked((int)seed ^ (int)(seed >> 32))).NextBytes(block);
        return block;
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => _position = Math.Clamp(value, 0, length);
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var written = 0;
        while (written < buffer.Length && _position < length)
        {
            var inBlock = (int)(_position % block.Length);
            var n = (int)Math.Min(Math.Min(buffer.Length - written, block.Length - inBlock), length - _position);
            block.Span.Slice(inBlock, n).CopyTo(buffer[written..]);
            written += n;
            _position += n;
        }

        return written;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
