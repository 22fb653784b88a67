; Inno Setup 6 script of PR Desk's Windows installer (Inno Setup 6.3 or newer).
;
;   ISCC /DAppVersion=1.2.3 /DAppNumericVersion=1.2.3.0 resources\installer\prdesk.iss
;
; Packs the application folder that prdesk.spec builds (dist\PR Desk\) into
; dist\PR-Desk-<version>-setup.exe. build-windows.ps1 runs every step.
;
; The installer installs for every user of the computer into Program Files\PR Desk
; and needs administrator rights. IT installs silently with
;   PR-Desk-<version>-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART
; and adds /MERGETASKS="desktopicon" for a desktop shortcut.
;
; Uninstalling removes only what was installed here. Each user's own data, settings
; and logs (%LOCALAPPDATA%\PR Desk) and passwords in the Windows Credential Manager
; stay, so a reinstall or an upgrade finds the cases where they were.

#ifndef AppVersion
  #error Give the version: ISCC /DAppVersion=1.2.3 /DAppNumericVersion=1.2.3.0 prdesk.iss
#endif
; Windows shows four numbers in the setup program's Properties > Details; without
; them Inno Setup would write 0.0.0.0 there.
#ifndef AppNumericVersion
  #error Give the version as four numbers too: /DAppNumericVersion=1.2.3.0
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\PR Desk"
#endif
#ifndef IconFile
  #define IconFile "..\..\build\icon\prdesk.ico"
#endif
#define AppName "PR Desk"
#define WindowExe "PR Desk.exe"

[Setup]
; Fixed for every version: Windows recognises an upgrade of the same program by it.
AppId={{6F0C3D1E-8B2A-4E57-9C64-2A7D5B1F93E0}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=PR Desk developers
VersionInfoVersion={#AppNumericVersion}
VersionInfoTextVersion={#AppVersion}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppNumericVersion}
VersionInfoProductTextVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Qt 6 runs on Windows 10 and newer.
MinVersion=10.0
OutputDir=..\..\dist
OutputBaseFilename=PR-Desk-{#AppVersion}-setup
SetupIconFile={#IconFile}
UninstallDisplayIcon={app}\{#WindowExe}
UninstallDisplayName={#AppName}
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
; A running PR Desk is asked to close so that its files can be replaced. Letters being
; written are saved as the writer pauses, but other typing not yet saved (a timeline
; entry not yet added, a letter template being edited) can be lost when Windows closes
; it this way: people save and quit PR Desk before an upgrade. When PR Desk does not
; close, Setup says that it is still running and asks for it to be closed first.
CloseApplications=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the whole program: no library of the previous version stays behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#WindowExe}"; Comment: "Cases, timelines and letters for patient relations"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#WindowExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#WindowExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

[UninstallDelete]
; Compiled copies of the migrations, written when an administrator upgraded a database
; from this folder. Nothing outside {app} is touched.
Type: filesandordirs; Name: "{app}\_internal\prdesk\domain\migrations\__pycache__"
Type: filesandordirs; Name: "{app}\_internal\prdesk\domain\migrations\versions\__pycache__"
