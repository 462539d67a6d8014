using System.Buffers;
using System.Text;

namespace Analytics.Storage.ChDb;

/// <summary>Turns the output of one statement into a value while the native buffer is still alive.</summary>
internal delegate T ChDbResultReader<out T>(ReadOnlySpan<byte> output);

/// <summary>
/// One chDB session (its own current database and settings). Runs one statement at a time: the caller (the pool in
/// <see cref="ChDbStore"/>) guarantees exclusive use. chDB allows one data directory per process, so every open
/// connection is counted against the directory in use.
/// </summary>
internal sealed unsafe class ChDbConnection : IDisposable
{
    private static readonly Lock EngineLock = new();
    private static readonly SearchValues<char> NeedsEscaping = SearchValues.Create("\\\t\n\r\0\b\f");
    private static string? s_openPath;
    private static int s_openCount;

    private readonly ChDbLibrary _library;
    private nint* _connection;

    private ChDbConnection(ChDbLibrary library, nint* connection)
    {
        _library = library;
        _connection = connection;
    }

    /// <summary>Connections open in this process, across stores.</summary>
    public static int OpenCount
    {
        get
        {
            lock (EngineLock)
            {
                return s_openCount;
            }
        }
    }

    /// <summary>Opens a session on the engine at <paramref name="dataPath"/> (an absolute path).</summary>
    public static ChDbConnection Open(ChDbLibrary library, string dataPath)
    {
        lock (EngineLock)
        {
            if (s_openCount > 0 && !string.Equals(s_openPath, dataPath, StringComparison.Ordinal))
            {
                throw new AnalyticsStoreException(
                    $"chDB allows one data directory per process: '{s_openPath}' is open, '{dataPath}' was requested. " +
                    "Close every store on the first directory, or use a separate database on it (Storage:ChDb:Database).");
            }

            Directory.CreateDirectory(dataPath);
            var connection = Connect(library, dataPath);
            s_openPath = dataPath;
            s_openCount++;
            return new ChDbConnection(library, connection);
        }
    }

    private static nint* Connect(ChDbLibrary library, string dataPath)
    {
        string[] arguments = ["clickhouse", "--path=" + dataPath];
        var pinned = new byte[arguments.Length][];
        for (var i = 0; i < arguments.Length; i++)
        {
            pinned[i] = NullTerminated(arguments[i]);
        }

        fixed (byte* a0 = pinned[0])
        fixed (byte* a1 = pinned[1])
        {
            var argv = stackalloc byte*[2] { a0, a1 };
            var connection = library.Connect(arguments.Length, argv);
            if (connection is null || *connection == 0)
            {
                throw new AnalyticsStoreException(
                    $"chDB could not open its data directory '{dataPath}' (is another process using it?).");
            }

            return connection;
        }
    }

    /// <summary>Runs <paramref name="sql"/> (UTF-8) without parameters and reads its output.</summary>
    public T Run<T>(ReadOnlySpan<byte> sql, string format, bool mayEchoRowData, ChDbResultReader<T> reader)
    {
        ObjectDisposedException.ThrowIf(_connection is null, this);
        var formatBytes = NullTerminated(format);
        nint result;
        fixed (byte* query = sql)
        fixed (byte* fmt = formatBytes)
        {
            result = _library.QueryN(*_connection, query, (nuint)sql.Length, fmt, (nuint)(formatBytes.Length - 1));
        }

        return Consume(result, mayEchoRowData, reader);
    }

    /// <summary>
    /// Runs <paramref name="sql"/> with <c>{name:Type}</c> parameters bound by the engine and reads its output.
    /// </summary>
    public T Run<T>(string sql, IReadOnlyDictionary<string, string> parameters, string format, ChDbResultReader<T> reader)
    {
        ObjectDisposedException.ThrowIf(_connection is null, this);
        if (parameters.Count == 0)
        {
            var bytes = Encoding.UTF8.GetBytes(sql);
            return Run<T>(bytes, format, mayEchoRowData: false, reader);
        }

        var names = new byte[parameters.Count][];
        var values = new byte[parameters.Count][];
        var handles = new System.Runtime.InteropServices.GCHandle[parameters.Count * 2];
        var i = 0;
        foreach (var (name, value) in parameters)
        {
            if (!StorageIdentifiers.IsValidIdentifier(name))
            {
                throw new ArgumentException($"Query parameter name '{name}' is not an identifier.", nameof(parameters));
            }

            names[i] = NullTerminated(name);
            values[i] = NullTerminated(EscapeParameterValue(value));
            i++;
        }

        var sqlBytes = NullTerminated(sql);
        var formatBytes = NullTerminated(format);
        var namePointers = new nint[parameters.Count];
        var valuePointers = new nint[parameters.Count];
        try
        {
            for (var p = 0; p < parameters.Count; p++)
            {
                handles[2 * p] = System.Runtime.InteropServices.GCHandle.Alloc(names[p], System.Runtime.InteropServices.GCHandleType.Pinned);
                handles[2 * p + 1] = System.Runtime.InteropServices.GCHandle.Alloc(values[p], System.Runtime.InteropServices.GCHandleType.Pinned);
                namePointers[p] = handles[2 * p].AddrOfPinnedObject();
                valuePointers[p] = handles[2 * p + 1].AddrOfPinnedObject();
            }

            nint result;
            fixed (byte* query = sqlBytes)
            fixed (byte* fmt = formatBytes)
            fixed (nint* namesPtr = namePointers)
            fixed (nint* valuesPtr = valuePointers)
            {
                result = _library.QueryWithParams(*_connection, query, fmt, (byte**)namesPtr, (byte**)valuesPtr, (nuint)parameters.Count);
            }

            return Consume(result, mayEchoRowData: false, reader);
        }
        finally
        {
            foreach (var handle in handles)
            {
                if (handle.IsAllocated)
                {
                    handle.Free();
                }
            }
        }
    }

    private T Consume<T>(nint result, bool mayEchoRowData, ChDbResultReader<T> reader)
    {
        if (result == 0)
        {
            throw new AnalyticsStoreException("chDB returned no result for the statement.");
        }

        try
        {
            var error = _library.ResultError(result);
            if (error is not null)
            {
                throw EngineErrors.FromEngine(Utf8String(error), mayEchoRowData);
            }

            var buffer = _library.ResultBuffer(result);
            var length = _library.ResultLength(result);
            if (length > int.MaxValue)
            {
                throw new AnalyticsStoreException("chDB result is larger than 2 GB; narrow the query.");
            }

            var output = buffer is null ? [] : new ReadOnlySpan<byte>(buffer, (int)length);
            return reader(output);
        }
        finally
        {
            _library.DestroyResult(result);
        }
    }

    /// <summary>
    /// chDB parses parameter values in the Escaped (TSV) text format, so backslashes and control characters have to be
    /// escaped for a value to arrive verbatim. Quotes need nothing: the value is never parsed as SQL.
    /// </summary>
    internal static string EscapeParameterValue(string value)
    {
        if (!value.AsSpan().ContainsAny(NeedsEscaping))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '\\' => "\\\\",
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                '\0' => "\\0",
                '\b' => "\\b",
                '\f' => "\\f",
                _ => null,
            } ?? c.ToString());
        }

        return builder.ToString();
    }

    private static byte[] NullTerminated(string value)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(value) + 1];
        Encoding.UTF8.GetBytes(value, bytes);
        return bytes;
    }

    private static string Utf8String(byte* text)
    {
        var length = 0;
        while (text[length] != 0)
        {
            length++;
        }

        return Encoding.UTF8.GetString(text, length);
    }

    public void Dispose()
    {
        lock (EngineLock)
        {
            if (_connection is null)
            {
                return;
            }

            _library.CloseConnection(_connection);
            _connection = null;
            s_openCount--;
            if (s_openCount == 0)
            {
                s_openPath = null;
            }
        }
    }
}
