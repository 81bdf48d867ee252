; Inno Setup script for the Windows installer of Hembesök.
; Build the bundle first (python -m PyInstaller installer\hembesok.spec --distpath installer\dist),
; then compile this script with ISCC.exe. Installs per machine; the profile stays in each user's AppData.
#define AppName "Hembesök"
#define AppVersion "0.1.0"

[Setup]
AppId={{6C3F2B1E-9D54-4C6B-A1B7-5E2D1A7C4F10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Hembesök
DefaultDirName={autopf}\Hembesok
DefaultGroupName={#AppName}
OutputDir=dist
OutputBaseFilename=Hembesok-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
; Uninstalling never touches the users' encrypted profiles in %APPDATA%\Hembesok: unsynced work must not be lost.

[Languages]
Name: "swedish"; MessagesFile: "compiler:Languages\Swedish.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "dist\Hembesok\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{group}\{#AppName}"; Filename: "{app}\Hembesok.exe"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\Hembesok.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"

[Run]
Filename: "{app}\Hembesok.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
