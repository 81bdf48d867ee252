; Inno Setup script for the Windows installer of Hembesök. Do not compile it by hand: installer\build.ps1 builds
; the bundle and passes the version from pyproject.toml (/DAppVersion=...) and the bundle folder (/DBundleDir=...).
; Per-machine install into Program Files (administrators; software-distribution tools run it silently, see
; docs\installing-windows.md). The users' encrypted profiles live in each user's AppData and are never installed,
; so the uninstaller never removes them: unsynced work is never lost by an uninstall or an upgrade. The
; machine-wide settings file IT may place in %ProgramData%\Hembesok is IT's and is left alone too.
#define AppName "Hembesök"
#ifndef AppVersion
  #error AppVersion is not set: build with installer\build.ps1, which reads it from pyproject.toml
#endif
#ifndef BundleDir
  #define BundleDir "dist\Hembesok"
#endif

[Setup]
AppId={{6C3F2B1E-9D54-4C6B-A1B7-5E2D1A7C4F10}
AppName={#AppName}
AppVersion={#AppVersion}
AppPublisher=Hembesök
DefaultDirName={autopf}\Hembesok
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
OutputBaseFilename=Hembesok-{#AppVersion}-setup
Compression=lzma2
SolidCompression=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
PrivilegesRequired=admin
SetupIconFile=hembesok.ico
UninstallDisplayIcon={app}\Hembesok.exe
UninstallDisplayName={#AppName} {#AppVersion}

[Languages]
Name: "swedish"; MessagesFile: "compiler:Languages\Swedish.isl"
Name: "english"; MessagesFile: "compiler:Default.isl"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "settings.toml.example"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
; Start menu entry for every user (per-machine install).
Name: "{commonprograms}\{#AppName}"; Filename: "{app}\Hembesok.exe"
Name: "{commondesktop}\{#AppName}"; Filename: "{app}\Hembesok.exe"; Tasks: desktopicon

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Run]
Filename: "{app}\Hembesok.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
; No [UninstallDelete] and no [Code] that deletes: the uninstaller removes only the files it installed.
