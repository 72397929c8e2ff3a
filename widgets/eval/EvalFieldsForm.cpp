// Lines are rebuilt whenever the preset changes; values are read back as typed (trimmed:
// a stray space around a path is never what the user meant).
#include "EvalFieldsForm.h"

#include "RemotePathBrowseButton.h"

#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace rdt {

EvalFieldsForm::EvalFieldsForm(QWidget *parent) : QWidget(parent)
{
    m_form = new QFormLayout(this);
    m_form->setContentsMargins(0, 0, 0, 0);
    m_form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    setVisible(false);
}

void EvalFieldsForm::setFields(const QStringList &names, const EvalCommandValues &defaults, const EvalCommandValues &values)
{
    while (m_form->rowCount() > 0)
        m_form->removeRow(0);
    m_lines.clear();
    for (const QString &name : names) {
        auto *line = new QLineEdit(this);
        line->setObjectName(QStringLiteral("evalField_") + name);
        const auto fallback = defaults.find(name);
        const QString defaultValue = fallback != defaults.end() ? fallback->second : QString();
        line->setPlaceholderText(defaultValue.isEmpty() ? tr("required") : defaultValue);
        line->setToolTip(defaultValue.isEmpty() ? tr("{%1} in the eval command; it has no default").arg(name)
                                                : tr("{%1} in the eval command; empty: %2").arg(name, defaultValue));
        const auto value = values.find(name);
        if (value != values.end())
            line->setText(value->second);
        connect(line, &QLineEdit::editingFinished, this, &EvalFieldsForm::valuesEdited);
        if (m_client && isServerPath(name, defaultValue))
            m_form->addRow(name, RemotePathBrowseButton::row(line, m_client, this));
        else
            m_form->addRow(name, line);
        m_lines.emplace_back(name, line);
    }
    setVisible(!names.isEmpty());
}

bool EvalFieldsForm::isServerPath(const QString &name, const QString &defaultValue)
{
    if (defaultValue.startsWith(QLatin1Char('/')) || defaultValue.startsWith(QLatin1String("~/")))
        return true;
    for (const char *suffix : {"_repo", "_dir", "_path", "_root"}) {
        if (name.endsWith(QLatin1String(suffix)))
            return true;
    }
    return false;
}

QStringList EvalFieldsForm::fieldNames() const
{
    QStringList names;
    for (const auto &[name, line] : m_lines)
        names.append(name);
    return names;
}

EvalCommandValues EvalFieldsForm::values() const
{
    EvalCommandValues values;
    for (const auto &[name, line] : m_lines) {
        const QString text = line->text().trimmed();
        if (!text.isEmpty())
            values[name] = text;
    }
    return values;
}

QLineEdit *EvalFieldsForm::lineFor(const QString &name) const
{
    for (const auto &[field, line] : m_lines) {
        if (field == name)
            return line;
    }
    return nullptr;
}

} // namespace rdt
