// The chosen eval command preset's own fields (rdt_repo, config, benchmark, ...) as a small
// form under the Eval view's command box: one line per field, its default as placeholder
// text, so the user changes a value without editing the preset's file; a field holding a
// server path has Browse… beside it.
#pragma once

#include "EvalCommandTemplate.h"

#include <QStringList>
#include <QWidget>

#include <functional>
#include <vector>

class QFormLayout;
class QLineEdit;

namespace rdt {

class SshClient;

class EvalFieldsForm : public QWidget {
    Q_OBJECT
public:
    explicit EvalFieldsForm(QWidget *parent = nullptr);

    // The connection a field that holds a server path browses with (Browse… beside it);
    // without one, no field has the button.
    void setClientSource(std::function<SshClient *()> client) { m_client = std::move(client); }
    // A field holds a server path when its default is one ("~/...", "/...") or its name
    // says so (..._repo, ..._dir, ..._path, ..._root).
    static bool isServerPath(const QString &name, const QString &defaultValue);

    // One line per name; `defaults` show as placeholder text, `values` fill the lines.
    // Hidden when there are no names.
    void setFields(const QStringList &names, const EvalCommandValues &defaults, const EvalCommandValues &values);
    QStringList fieldNames() const;
    // What the user typed, field by field; a line left empty is absent (the default applies).
    EvalCommandValues values() const;
    QLineEdit *lineFor(const QString &name) const;

signals:
    void valuesEdited();

private:
    QFormLayout *m_form = nullptr;
    std::vector<std::pair<QString, QLineEdit *>> m_lines;
    std::function<SshClient *()> m_client;
};

} // namespace rdt
