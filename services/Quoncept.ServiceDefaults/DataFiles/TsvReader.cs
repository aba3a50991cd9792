using System.Globalization;
using System.Text;

namespace Quoncept.ServiceDefaults.DataFiles;

/// <summary>
/// Reads the universe's data files. Grammar (UTF-8, LF or CRLF line ends):
/// <code>
/// file    = header *( row / comment ) 
/// header  = column *( TAB column ) EOL        ; must equal the expected columns exactly
/// row     = field *( TAB field ) EOL          ; exactly as many fields as columns
/// comment = "#" *CHAR EOL                     ; ignored, as are empty lines
/// </code>
/// Fields are taken verbatim (no quoting, no trimming); a field may not contain TAB.
/// Every problem throws <see cref="DataFileException"/> naming the line and the column.
/// </summary>
public sealed class TsvReader : IDisposable
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _bytes;
    private int _position;
    private readonly string[] _columns;
    private readonly int[] _starts;
    private readonly int[] _lengths;
    private string _line = string.Empty;

    private TsvReader(string path, byte[] bytes, string[] columns)
    {
        FilePath = path;
        _bytes = bytes;
        _columns = columns;
        _starts = new int[columns.Length];
        _lengths = new int[columns.Length];
    }

    public string FilePath { get; }

    /// <summary>1-based number of the current line.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Opens <paramref name="path"/> and checks its header against <paramref name="columns"/>.</summary>
    public static TsvReader Open(string path, params string[] columns)
    {
        if (!File.Exists(path))
        {
            throw new DataFileException(path, 0, null, "file not found");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            throw new DataFileException(path, 0, null, "cannot be read: " + e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DataFileException(path, 0, null, "cannot be read: " + e.Message);
        }

        var reader = new TsvReader(path, bytes, columns);
        reader.ReadHeader();
        return reader;
    }

    /// <summary>Moves to the next data row; false at the end of the file.</summary>
    public bool Next()
    {
        while (true)
        {
            var line = ReadLine();
            if (line is null)
            {
                return false;
            }

            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            Split(line);
            return true;
        }
    }

    /// <summary>The current row's field <paramref name="column"/>, verbatim.</summary>
    public ReadOnlySpan<char> Span(int column) => _line.AsSpan(_starts[column], _lengths[column]);

    /// <summary>The field as an identifier: 1..64 of [A-Za-z0-9_.:-].</summary>
    public string Id(int column)
    {
        var value = Span(column);
        if (value.IsEmpty || value.Length > 64)
        {
            throw Error(column, $"must be 1..64 characters, got {value.Length}");
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '.' or '-' or ':'))
            {
                throw Error(column, $"'{value}' has '{c}'; allowed are A-Z a-z 0-9 _ . - :");
            }
        }

        return value.ToString();
    }

    /// <summary>The field as a display name: 1..64 characters, no control characters, not blank.</summary>
    public string Name(int column)
    {
        var value = Span(column);
        if (value.IsEmpty || value.Length > 64 || value.IsWhiteSpace())
        {
            throw Error(column, $"must be 1..64 characters and not blank, got {value.Length}");
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                throw Error(column, "contains a control character");
            }
        }

        return value.ToString();
    }

    /// <summary>The field as an invariant-culture number within [min, max].</summary>
    public double Number(int column, double min, double max)
    {
        var value = Span(column);
        if (!double.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)
            || number < min || number > max)
        {
            throw Error(column, $"'{value}' is not a number in [{min.ToString(CultureInfo.InvariantCulture)}, {max.ToString(CultureInfo.InvariantCulture)}]");
        }

        return number;
    }

    public DataFileException Error(int column, string problem) => new(FilePath, LineNumber, _columns[column], problem);

    public DataFileException Error(string problem) => new(FilePath, LineNumber, null, problem);

    public void Dispose()
    {
    }

    private void ReadHeader()
    {
        if (_bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble))
        {
            _position = Encoding.UTF8.Preamble.Length;
        }

        var header = ReadLine();
        var expected = string.Join('\t', _columns);
        if (header is null)
        {
            throw new DataFileException(FilePath, 0, null, $"empty file; the first line must be the header '{expected.Replace("\t", "<TAB>", StringComparison.Ordinal)}'");
        }

        if (!string.Equals(header, expected, StringComparison.Ordinal))
        {
            throw new DataFileException(FilePath, 1, null, $"header must be '{expected.Replace("\t", "<TAB>", StringComparison.Ordinal)}', got '{header.Replace("\t", "<TAB>", StringComparison.Ordinal)}'");
        }
    }

    /// <summary>The next line without its LF or CRLF, strictly UTF-8 decoded; null at the end.</summary>
    private string? ReadLine()
    {
        if (_position >= _bytes.Length)
        {
            return null;
        }

        LineNumber++;
        var rest = _bytes.AsSpan(_position);
        var end = rest.IndexOf((byte)'\n');
        var line = end < 0 ? rest : rest[..end];
        _position += end < 0 ? rest.Length : end + 1;
        if (!line.IsEmpty && line[^1] == (byte)'\r')
        {
            line = line[..^1];
        }

        try
        {
            return StrictUtf8.GetString(line);
        }
        catch (DecoderFallbackException)
        {
            throw new DataFileException(FilePath, LineNumber, null, "not valid UTF-8");
        }
    }

    private void Split(string line)
    {
        _line = line;
        var start = 0;
        for (var i = 0; i < _columns.Length; i++)
        {
            var tab = line.IndexOf('\t', start);
            var last = i == _columns.Length - 1;
            if (last ? tab >= 0 : tab < 0)
            {
                var count = line.AsSpan().Count('\t') + 1;
                throw Error($"expected {_columns.Length} tab-separated fields ({string.Join(", ", _columns)}), got {count}");
            }

            var end = last ? line.Length : tab;
            _starts[i] = start;
            _lengths[i] = end - start;
            start = end + 1;
        }
    }
}
