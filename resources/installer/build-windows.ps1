<#
.SYNOPSIS
Builds PR Desk's Windows installer, dist\PR-Desk-<version>-setup.exe, from a clone.

.DESCRIPTION
Needs Python 3.11 or newer (with the py launcher) and Inno Setup 6.3 or newer.
Steps: a virtual environment (.venv) with the locked versions and PyInstaller, the
icon drawn from resources\icons\prdesk.svg, the application folder dist\PR Desk\
(prdesk.spec), its self-test, then the installer (resources\installer\prdesk.iss).
Stops at the first step that fails.

.EXAMPLE
powershell -ExecutionPolicy Bypass -File resources\installer\build-windows.ps1

.EXAMPLE
powershell -File resources\installer\build-windows.ps1 -Iscc "D:\Tools\Inno Setup 6\ISCC.exe"
#>
param(
    # The Inno Setup compiler; found in its usual install folders when not given.
    [string]$Iscc = ""
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
# PowerShell 7 would otherwise turn a program's progress lines on stderr into errors.
$PSNativeCommandUseErrorActionPreference = $false

$root = (Resolve-Path (Join-Path $PSScriptRoot '..\..')).Path
Set-Location $root
$venvPython = Join-Path $root '.venv\Scripts\python.exe'

function Invoke-Native {
    # Windows PowerShell 5.1 turns every line a program writes to stderr (PyInstaller's
    # WARN lines, pip's notices) into an error record, which 'Stop' makes fatal: inside
    # here those lines are only shown, and the program's exit code alone says whether
    # it failed.
    param([scriptblock]$Command)
    $ErrorActionPreference = 'Continue'
    $global:LASTEXITCODE = 0
    & $Command
}

function Invoke-Step {
    param([string]$Name, [scriptblock]$Command)
    Write-Host "== $Name" -ForegroundColor Cyan
    Invoke-Native $Command
    if ($LASTEXITCODE -ne 0) {
        throw "build-windows: '$Name' failed (exit code $LASTEXITCODE)"
    }
}

function Find-Iscc {
    if ($Iscc) {
        if (-not (Test-Path $Iscc)) { throw "build-windows: there is no ISCC.exe at $Iscc" }
        return $Iscc
    }
    $onPath = Get-Command 'ISCC.exe' -ErrorAction SilentlyContinue
    if ($onPath) { return $onPath.Source }
    $candidates = @(
        (Join-Path ${env:ProgramFiles(x86)} 'Inno Setup 6\ISCC.exe'),
        (Join-Path $env:ProgramFiles 'Inno Setup 6\ISCC.exe'),
        (Join-Path $env:LOCALAPPDATA 'Programs\Inno Setup 6\ISCC.exe')
    )
    foreach ($candidate in $candidates) {
        if (Test-Path $candidate) { return $candidate }
    }
    throw 'build-windows: Inno Setup 6 is not installed (ISCC.exe not found); install it or pass -Iscc PATH'
}

$started = Get-Date
# Found before the long steps, so a missing compiler is reported at once.
$isccPath = Find-Iscc

Invoke-Step 'Python 3.11 or newer' {
    py -3 -c "import sys; sys.exit(0 if sys.version_info >= (3, 11) else 'PR Desk needs Python 3.11 or newer')"
}
if (-not (Test-Path $venvPython)) {
    Invoke-Step 'Virtual environment .venv' { py -3 -m venv .venv }
}
Invoke-Step 'Locked dependencies and PyInstaller' {
    & $venvPython -m pip install --disable-pip-version-check -q -c requirements.lock -e '.[bundle]'
}
Invoke-Step 'Icon from resources\icons\prdesk.svg' {
    & $venvPython resources\installer\make_icon.py build\icon
}
Invoke-Step 'Application folder dist\PR Desk' {
    & $venvPython -m PyInstaller --noconfirm --clean --log-level WARN --distpath dist --workpath build\pyinstaller prdesk.spec
}
Invoke-Step 'Self-test of the application folder' {
    & (Join-Path $root 'dist\PR Desk\prdesk.exe') --self-test
}

# The version as Python spells it ("1.2.3", "0.1.0.dev2") and as Windows' file
# properties need it (four numbers: "1.2.3.0"), by the rule prdesk.spec uses. One line
# without double quotes: Windows PowerShell 5.1 passes those on to Python garbled.
$versionScript = 'import sys; sys.path.insert(0, ''resources/installer''); ' +
    'import bundle_data, prdesk; v = prdesk.__version__; print(v); ' +
    'print(''.''.join(str(n) for n in bundle_data.version_tuple(v)))'
$versions = @(Invoke-Native { & $venvPython -c $versionScript })
if ($LASTEXITCODE -ne 0 -or $versions.Count -ne 2 -or -not "$($versions[0])".Trim()) {
    throw 'build-windows: the version of PR Desk could not be read'
}
$version = "$($versions[0])".Trim()
$numericVersion = "$($versions[1])".Trim()

Invoke-Step "Installer (Inno Setup, version $version)" {
    & $isccPath /Q "/DAppVersion=$version" "/DAppNumericVersion=$numericVersion" resources\installer\prdesk.iss
}

$setup = Join-Path $root "dist\PR-Desk-$version-setup.exe"
if (-not (Test-Path $setup)) { throw "build-windows: $setup was not made" }
$minutes = [math]::Round(((Get-Date) - $started).TotalMinutes, 1)
Write-Host "build-windows: $setup ($minutes min)" -ForegroundColor Green
