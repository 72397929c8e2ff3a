// One pass over the line that tracks the shell's quoting as it goes, so a field can be told
// apart from a brace that belongs to the shell and refused where quoting would break it.
#include "EvalCommandTemplate.h"

#include "ShellQuote.h"

namespace rdt {

namespace {

enum class Quote { None, Single, Double };

bool isFieldStart(QChar c)
{
    return (c >= QLatin1Char('a') && c <= QLatin1Char('z')) || c == QLatin1Char('_');
}

bool isFieldChar(QChar c)
{
    return isFieldStart(c) || (c >= QLatin1Char('0') && c <= QLatin1Char('9'));
}

// The field name of "{name}" starting at `open`, or an empty string if the brace opens none.
QString fieldAt(const QString &line, qsizetype open, qsizetype *close)
{
    qsizetype i = open + 1;
    if (i >= line.size() || !isFieldStart(line.at(i)))
        return {};
    while (i < line.size() && isFieldChar(line.at(i)))
        ++i;
    if (i >= line.size() || line.at(i) != QLatin1Char('}'))
        return {};
    *close = i;
    return line.mid(open + 1, i - open - 1);
}

QByteArray quotedValue(const QString &value)
{
    // "~" and "~/..." mean the server user's home; inside quotes the shell would not expand it.
    if (value == QLatin1String("~"))
        return QByteArrayLiteral("~");
    if (value.startsWith(QLatin1String("~/")))
        return QByteArrayLiteral("~/") + (value.size() > 2 ? shellQuote(value.mid(2).toUtf8()) : QByteArray());
    return shellQuote(value.toUtf8());
}

Error templateError(const QString &presetName, const QString &why)
{
    return makeError(ErrorCode::InvalidArgument, QStringLiteral("eval command \"%1\": %2").arg(presetName, why));
}

// Walks the line once; calls onField(name, position) for each field and onText(text) for
// everything else. Returns an error text for an unbalanced quote or a quoted field.
template <typename OnText, typename OnField>
QString walk(const QString &line, OnText onText, OnField onField)
{
    Quote quote = Quote::None;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (quote == Quote::Single) {
            if (c == QLatin1Char('\''))
                quote = Quote::None;
        } else if (c == QLatin1Char('\\') && i + 1 < line.size()) {
            onText(line.mid(i, 2));
            ++i;
            continue;
        } else if (c == QLatin1Char('"')) {
            quote = quote == Quote::Double ? Quote::None : Quote::Double;
        } else if (quote == Quote::None && c == QLatin1Char('\'')) {
            quote = Quote::Single;
        } else if (c == QLatin1Char('$') && i + 1 < line.size() && line.at(i + 1) == QLatin1Char('{')) {
            // ${VAR}, ${VAR:-default}: the shell's own, copied through to its closing brace.
            const qsizetype close = line.indexOf(QLatin1Char('}'), i + 2);
            const qsizetype end = close < 0 ? line.size() : close + 1;
            onText(line.mid(i, end - i));
            i = end - 1;
            continue;
        } else if (c == QLatin1Char('{') && i + 1 < line.size() && line.at(i + 1) == QLatin1Char('{')) {
            onText(QStringLiteral("{"));
            ++i;
            continue;
        } else if (c == QLatin1Char('}') && i + 1 < line.size() && line.at(i + 1) == QLatin1Char('}')) {
            onText(QStringLiteral("}"));
            ++i;
            continue;
        }
        if (c == QLatin1Char('{')) {
            qsizetype close = 0;
            const QString name = fieldAt(line, i, &close);
            if (!name.isEmpty()) {
                if (quote != Quote::None)
                    return QStringLiteral("{%1} at column %2 is inside quotes; write it bare, the workbench "
                                          "quotes every value itself")
                        .arg(name)
                        .arg(i + 1);
                onField(name);
                i = close;
                continue;
            }
        }
        onText(QString(c));
    }
    if (quote != Quote::None)
        return QStringLiteral("the line ends inside a %1-quoted string")
            .arg(quote == Quote::Single ? QStringLiteral("single") : QStringLiteral("double"));
    return {};
}

} // namespace

QStringList EvalCommandTemplate::fieldsIn(const QString &line)
{
    QStringList fields;
    walk(line, [](const QString &) {}, [&](const QString &name) {
        if (!fields.contains(name))
            fields.append(name);
    });
    return fields;
}

Result<QByteArray> EvalCommandTemplate::fill(const QString &line, const EvalCommandValues &values,
                                             const QString &presetName)
{
    QByteArray filled;
    QString missing;
    QString bad;
    const QString walkError = walk(
        line, [&](const QString &text) { filled += text.toUtf8(); },
        [&](const QString &name) {
            const auto value = values.find(name);
            if (value == values.end() || value->second.isEmpty()) {
                if (missing.isEmpty())
                    missing = name;
                return;
            }
            if (value->second.contains(QChar(0))) {
                bad = name;
                return;
            }
            filled += quotedValue(value->second);
        });
    if (!walkError.isEmpty())
        return templateError(presetName, walkError);
    if (!missing.isEmpty()) {
        QStringList known;
        for (const auto &[name, value] : values)
            if (!value.isEmpty())
                known.append(name);
        return templateError(presetName, QStringLiteral("{%1} has no value; set it in the eval's fields (fields "
                                                        "with values: %2)")
                                             .arg(missing, known.isEmpty() ? QStringLiteral("none") : known.join(u", ")));
    }
    if (!bad.isEmpty())
        return templateError(presetName, QStringLiteral("the value of {%1} holds a NUL byte").arg(bad));
    return filled;
}

} // namespace rdt
