namespace Quoncept.Chatlog.Log;

/// <summary>A reference from an index page to a line: enough to order it and to filter by channel without reading it.</summary>
internal sealed record LineRef(long At, string Id, string? Channel)
{
    /// <summary>Orders by time, then event id (two lines may share a millisecond).</summary>
    public static int Compare(LineRef a, LineRef b) => a.At != b.At ? a.At.CompareTo(b.At) : string.CompareOrdinal(a.Id, b.Id);
}

/// <summary>The number of pages an index has in one hour (key <see cref="LogKeys.Head"/>).</summary>
internal sealed record IndexHead(int Pages);

/// <summary>One page of an index hour (key <see cref="LogKeys.Page"/>): at most <see cref="LogKeys.PageSize"/> references, sorted.</summary>
internal sealed record IndexPage(List<LineRef> Refs)
{
    /// <summary>Inserts <paramref name="line"/> in order (lines usually arrive in order: it goes last).</summary>
    public void Insert(LineRef line)
    {
        var at = Refs.Count;
        while (at > 0 && LineRef.Compare(Refs[at - 1], line) > 0) at--;
        Refs.Insert(at, line);
    }
}
