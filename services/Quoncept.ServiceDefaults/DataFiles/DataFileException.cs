namespace Quoncept.ServiceDefaults.DataFiles;

/// <summary>
/// A data file that cannot be used, with where and why: "users.tsv:17: field 'character_id': ...".
/// Services fail their start-up with this message rather than run on half a directory.
/// </summary>
public sealed class DataFileException : Exception
{
    public DataFileException(string path, int line, string? field, string problem)
        : base(Format(path, line, field, problem))
    {
        FilePath = path;
        Line = line;
        Field = field;
        Problem = problem;
    }

    public string FilePath { get; }

    /// <summary>1-based line number; 0 when the problem is the whole file.</summary>
    public int Line { get; }

    public string? Field { get; }

    public string Problem { get; }

    private static string Format(string path, int line, string? field, string problem)
    {
        var where = line > 0 ? $"{path}:{line}" : path;
        return field is null ? $"{where}: {problem}" : $"{where}: field '{field}': {problem}";
    }
}
