// Fills the command line of an eval preset ("cd {rdt_repo} && python eval_sim/eval_rdt_libero.py
// --pretrained {checkpoint} ...") with the values of one eval. The line itself is the user's
// shell text and stays as written; each {field} becomes one single-quoted word, so a path
// with spaces, quotes or `$()` arrives exactly as given and can never run as code.
#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <map>

namespace rdt {

using EvalCommandValues = std::map<QString, QString>;

class EvalCommandTemplate {
public:
    // The names of the fields the line uses, in order of first use ("{checkpoint}" ->
    // "checkpoint"). Shell text such as ${HOME} or {a,b} is not a field.
    [[nodiscard]] static QStringList fieldsIn(const QString &line);

    // The line with every field replaced by its value, quoted for the POSIX shell; "{{" and
    // "}}" are literal braces. A value starting with "~/" keeps the tilde unquoted so the
    // server's shell expands it. Refused, with the preset's name and the field: a field
    // without a value or with an empty one, a field written inside quotes (the workbench
    // quotes it already; quoting it again would break paths with quotes), a value with a
    // NUL byte, and an unbalanced quote in the line.
    [[nodiscard]] static Result<QByteArray> fill(const QString &line, const EvalCommandValues &values,
                                                 const QString &presetName);
};

} // namespace rdt
