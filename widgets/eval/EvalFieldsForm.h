// The chosen eval command preset's own fields (rdt_repo, config, benchmark, ...) as a small
// form under the Eval view's command box: one line per field, its default as placeholder
// text, so the user changes a value without editing the preset's file.
#pragma once

#include "EvalCommandTemplate.h"

#include <QStringList>
#include <QWidget>

#include <vector>

class QFormLayout;
class QLineEdit;

namespace rdt {

class EvalFieldsForm : public QWidget {
    Q_OBJECT
public:
    explicit EvalFieldsForm(QWidget *parent = nullptr);

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
};

} // namespace rdt
