// The format box and the file name's suffix follow each other, so neither can disagree.
#include "PlotExportDialog.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>

namespace rdt {

PlotExportDialog::PlotExportDialog(QSize shownSize, const QString &suggestedPath, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("Export plot"));
    m_path = new QLineEdit(suggestedPath, this);
    m_path->setMinimumWidth(360);
    auto *browse = new QPushButton(tr("Browse…"), this);
    m_format = new QComboBox(this);
    m_format->addItem(tr("PNG image"), int(PlotExporter::Format::Png));
    m_format->addItem(tr("SVG drawing"), int(PlotExporter::Format::Svg));
    m_format->addItem(tr("PDF document"), int(PlotExporter::Format::Pdf));
    m_shown = new QRadioButton(tr("As shown (%1 × %2 pixels)").arg(shownSize.width()).arg(shownSize.height()), this);
    m_custom = new QRadioButton(tr("Custom:"), this);
    m_shown->setChecked(true);
    m_width = new QSpinBox(this);
    m_height = new QSpinBox(this);
    for (QSpinBox *box : {m_width, m_height}) {
        box->setRange(16, 20000);
        box->setSuffix(tr(" px"));
        box->setEnabled(false);
    }
    m_width->setValue(shownSize.width() > 0 ? shownSize.width() : 1200);
    m_height->setValue(shownSize.height() > 0 ? shownSize.height() : 800);

    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_path, 1);
    pathRow->addWidget(browse);
    auto *customRow = new QHBoxLayout;
    customRow->addWidget(m_custom);
    customRow->addWidget(m_width);
    customRow->addWidget(new QLabel(QStringLiteral("×"), this));
    customRow->addWidget(m_height);
    customRow->addStretch(1);
    auto *sizeColumn = new QVBoxLayout;
    sizeColumn->addWidget(m_shown);
    sizeColumn->addLayout(customRow);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);

    auto *form = new QFormLayout;
    form->addRow(tr("File"), pathRow);
    form->addRow(tr("Format"), m_format);
    form->addRow(tr("Size"), sizeColumn);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(buttons);

    connect(browse, &QPushButton::clicked, this, &PlotExportDialog::browse);
    connect(m_path, &QLineEdit::textEdited, this, &PlotExportDialog::followSuffix);
    connect(m_format, &QComboBox::activated, this, &PlotExportDialog::applyFormatToPath);
    connect(m_custom, &QRadioButton::toggled, this, [this](bool on) {
        m_width->setEnabled(on);
        m_height->setEnabled(on);
    });
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_path, &QLineEdit::textChanged, this,
            [buttons](const QString &text) { buttons->button(QDialogButtonBox::Save)->setEnabled(!text.trimmed().isEmpty()); });
    followSuffix();
    applyFormatToPath();
}

QString PlotExportDialog::path() const
{
    return m_path->text().trimmed();
}

PlotExporter::Format PlotExportDialog::format() const
{
    return PlotExporter::Format(m_format->currentData().toInt());
}

QSize PlotExportDialog::size() const
{
    return m_custom->isChecked() ? QSize(m_width->value(), m_height->value()) : QSize();
}

void PlotExportDialog::browse()
{
    const QString chosen = QFileDialog::getSaveFileName(this, tr("Export plot"), path(),
                                                        tr("Images (*.png *.svg *.pdf)"));
    if (chosen.isEmpty())
        return;
    m_path->setText(chosen);
    followSuffix();
    applyFormatToPath();
}

void PlotExportDialog::followSuffix()
{
    if (const std::optional<PlotExporter::Format> format = PlotExporter::formatOf(path()))
        m_format->setCurrentIndex(m_format->findData(int(*format)));
}

void PlotExportDialog::applyFormatToPath()
{
    const QString current = path();
    if (current.isEmpty())
        return;
    const QString wanted = PlotExporter::suffixOf(format());
    const QFileInfo info(current);
    if (info.suffix().toLower() == wanted)
        return;
    const QString base = PlotExporter::formatOf(current) ? current.left(current.size() - info.suffix().size() - 1) : current;
    m_path->setText(base + QLatin1Char('.') + wanted);
}

} // namespace rdt
