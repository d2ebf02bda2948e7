#include "connection/ConnectionDialog.h"

#include "common/StatusStyle.h"
#include "connection/ProfileStore.h"

#include <QButtonGroup>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace mutt::ui {
namespace {

enum KindId { EmbeddedId = 0, RemoteId = 1 };

QHBoxLayout *withBrowseButton(QLineEdit *field, QPushButton *button)
{
    auto *row = new QHBoxLayout;
    row->setContentsMargins(0, 0, 0, 0);
    row->addWidget(field, 1);
    row->addWidget(button);
    return row;
}

QLabel *hint(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setStyleSheet(QStringLiteral("color: #57606a;"));
    return label;
}

}  // namespace

ConnectionDialog::ConnectionDialog(const ProfileStore &profiles, const ConnectionProfile &current, QWidget *parent)
    : QDialog(parent)
    , m_profiles(profiles)
    , m_picker(new QComboBox(this))
    , m_name(new QLineEdit(this))
    , m_kind(new QButtonGroup(this))
    , m_pages(new QStackedWidget(this))
    , m_production(new QLabel(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setWindowTitle(tr("Connect"));

    m_picker->addItems(profiles.names());
    m_picker->addItem(tr("New profile…"));
    connect(m_picker, &QComboBox::activated, this, &ConnectionDialog::onProfilePicked);

    auto *embedded = new QRadioButton(tr("Embedded: run the engine in this process"), this);
    auto *remote = new QRadioButton(tr("Remote: attach to a muttd api role"), this);
    m_kind->addButton(embedded, EmbeddedId);
    m_kind->addButton(remote, RemoteId);
    m_pages->addWidget(buildEmbeddedPage());
    m_pages->addWidget(buildRemotePage());
    connect(m_kind, &QButtonGroup::idToggled, this, [this](int id, bool on) {
        if (on)
            m_pages->setCurrentIndex(id);
        revalidate();
    });

    auto *top = new QFormLayout;
    top->addRow(tr("Profile:"), m_picker);
    top->addRow(tr("Name:"), m_name);
    top->addRow(tr("Connect to:"), embedded);
    top->addRow(QString(), remote);

    m_production->setObjectName(QStringLiteral("productionWarning"));
    m_production->setWordWrap(true);
    m_production->setMargin(8);
    m_production->setText(withSymbol(Tone::Bad,
        tr("Production: this profile opens read-only. Changes must be "
           "unlocked for each session.")));
    m_production->setStyleSheet(QStringLiteral("background: #b41c1c; color: white; font-weight: 600;"));
    m_problem->setWordWrap(true);
    m_problem->setStyleSheet(toneStyleSheet(Tone::Bad, false));

    m_buttons->button(QDialogButtonBox::Ok)->setText(tr("Connect"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_name, &QLineEdit::textChanged, this, &ConnectionDialog::revalidate);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_pages);
    layout->addWidget(buildEnvironmentBox());
    layout->addWidget(m_production);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);

    const int index = m_picker->findText(current.name);
    m_picker->setCurrentIndex(index >= 0 ? index : m_picker->count() - 1);
    showProfile(current);
    resize(560, sizeHint().height());
}

QWidget *ConnectionDialog::buildEmbeddedPage()
{
    auto *page = new QGroupBox(tr("Embedded engine"), this);
    m_dataDir = new QLineEdit(page);
    m_dataDir->setPlaceholderText(tr("default data folder"));
    auto *browseButton = new QPushButton(tr("Browse…"), page);
    connect(browseButton, &QPushButton::clicked, this, [this] { browse(m_dataDir, true); });

    auto *form = new QFormLayout(page);
    form->addRow(tr("Data folder:"), withBrowseButton(m_dataDir, browseButton));
    form->addRow(QString(),
        hint(tr("Queues, rules and audit live in SQLite files in this folder. Empty: "
                "MUTT_DATA_DIR, else ~/.local/share/mutt."),
            page));
    return page;
}

QWidget *ConnectionDialog::buildRemotePage()
{
    auto *page = new QGroupBox(tr("Remote daemon"), this);
    m_url = new QLineEdit(page);
    m_url->setPlaceholderText(QStringLiteral("https://mutt.example.com:8090"));
    m_apiKey = new QLineEdit(page);
    m_apiKey->setEchoMode(QLineEdit::Password);
    m_apiKey->setPlaceholderText(tr("leave empty to use the key in the keychain"));
    m_caFile = new QLineEdit(page);
    m_caFile->setPlaceholderText(tr("system certificate authorities"));
    auto *browseButton = new QPushButton(tr("Browse…"), page);
    connect(browseButton, &QPushButton::clicked, this, [this] { browse(m_caFile, false); });
    connect(m_url, &QLineEdit::textChanged, this, &ConnectionDialog::revalidate);
    connect(m_caFile, &QLineEdit::textChanged, this, &ConnectionDialog::revalidate);

    auto *form = new QFormLayout(page);
    form->addRow(tr("Address:"), m_url);
    form->addRow(tr("API key:"), m_apiKey);
    form->addRow(QString(),
        hint(tr("The daemon's WEBUI_API_KEY. It is kept in the system keychain, never in the "
                "settings file; without a keychain the console asks for it each time."),
            page));
    form->addRow(tr("CA file:"), withBrowseButton(m_caFile, browseButton));
    return page;
}

QWidget *ConnectionDialog::buildEnvironmentBox()
{
    auto *box = new QGroupBox(tr("Environment"), this);
    m_environment = new QComboBox(box);
    m_environment->setEditable(true);
    m_environment->addItems({QStringLiteral("local"), QStringLiteral("lab"), QStringLiteral("development"),
        QStringLiteral("staging"), QStringLiteral("production")});
    connect(m_environment, &QComboBox::currentTextChanged, this, &ConnectionDialog::revalidate);

    m_colour = new QComboBox(box);
    const QList<std::pair<QString, QColor>> colours {
        {tr("Blue"), QColor(0x1f, 0x5f, 0xa8)},
        {tr("Green"), QColor(0x1b, 0x6e, 0x37)},
        {tr("Amber"), QColor(0x9a, 0x67, 0x00)},
        {tr("Purple"), QColor(0x6f, 0x42, 0xc1)},
        {tr("Grey"), QColor(0x44, 0x4c, 0x56)},
    };
    for (const auto &[name, colour] : colours)
        m_colour->addItem(name, colour);

    auto *form = new QFormLayout(box);
    form->addRow(tr("Label:"), m_environment);
    form->addRow(tr("Colour:"), m_colour);
    return box;
}

void ConnectionDialog::showProfile(const ConnectionProfile &profile)
{
    m_name->setText(profile.name);
    m_kind->button(profile.isRemote() ? RemoteId : EmbeddedId)->setChecked(true);
    m_pages->setCurrentIndex(profile.isRemote() ? RemoteId : EmbeddedId);
    m_dataDir->setText(profile.dataDir);
    m_url->setText(profile.url.toDisplayString(QUrl::RemoveUserInfo));
    m_apiKey->clear();
    m_caFile->setText(profile.caFile);
    m_environment->setCurrentText(profile.environment);
    const int colour = m_colour->findData(profile.colour);
    m_colour->setCurrentIndex(colour >= 0 ? colour : 0);
    revalidate();
}

void ConnectionDialog::onProfilePicked(int index)
{
    if (index == m_picker->count() - 1) {
        ConnectionProfile fresh;
        fresh.kind = ConnectionProfile::Kind::Remote;
        showProfile(fresh);
        return;
    }
    if (const auto stored = m_profiles.load(m_picker->itemText(index)))
        showProfile(*stored);
}

void ConnectionDialog::browse(QLineEdit *target, bool directory)
{
    auto *dialog = new QFileDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->setFileMode(directory ? QFileDialog::Directory : QFileDialog::ExistingFile);
    if (!directory)
        dialog->setNameFilter(tr("PEM certificates (*.pem *.crt *.cer);;All files (*)"));
    connect(dialog, &QFileDialog::fileSelected, target, &QLineEdit::setText);
    dialog->open();
}

ConnectionProfile ConnectionDialog::profile() const
{
    ConnectionProfile profile;
    profile.name = m_name->text().trimmed();
    profile.kind
        = m_kind->checkedId() == RemoteId ? ConnectionProfile::Kind::Remote : ConnectionProfile::Kind::Embedded;
    profile.dataDir = m_dataDir->text().trimmed();
    profile.url = QUrl::fromUserInput(m_url->text().trimmed());
    if (m_url->text().trimmed().isEmpty())
        profile.url = QUrl();
    profile.caFile = m_caFile->text().trimmed();
    profile.environment = m_environment->currentText().trimmed();
    profile.colour = m_colour->currentData().value<QColor>();
    return profile;
}

QString ConnectionDialog::apiKey() const
{
    return m_apiKey->text().trimmed();
}

void ConnectionDialog::revalidate()
{
    const ConnectionProfile current = profile();
    m_production->setVisible(current.isProduction());
    m_colour->setEnabled(!current.isProduction());
    m_colour->setToolTip(current.isProduction() ? tr("Production profiles are always shown in red.") : QString());

    const std::optional<QString> problem = current.validate();
    m_problem->setText(problem.value_or(QString()));
    m_problem->setVisible(problem.has_value());
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!problem.has_value());
}

}  // namespace mutt::ui
