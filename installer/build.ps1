# Build the Windows bundle and its installer:
#   powershell -ExecutionPolicy Bypass -File installer\build.ps1 [-Out DIR] [-NoInstaller]
# Like build.sh: a fresh virtual environment (DIR\venv, recreated each time) with only the app's runtime
# dependencies from pyproject.toml and PyInstaller; then the one-folder bundle DIR\dist\Hembesok; then Inno Setup
# (ISCC.exe on PATH or in its default folder) makes DIR\Hembesok-<version>-setup.exe with the version read from
# pyproject.toml. Needs Python 3.11+ (`python` on PATH, or set $env:PYTHON) and Inno Setup 6.
param(
    [string]$Out = $PSScriptRoot,
    [switch]$NoInstaller
)
$ErrorActionPreference = "Stop"
$root = Split-Path -Parent $PSScriptRoot
$pyproject = Join-Path $root "pyproject.toml"

function Invoke-Checked {
    # PowerShell does not stop on a failing program by itself: check every exit code.
    param([string]$Program, [string[]]$Arguments)
    & $Program @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Program failed with exit code $LASTEXITCODE" }
}

$python = if ($env:PYTHON) { $env:PYTHON } else { "python" }
New-Item -ItemType Directory -Force -Path $Out | Out-Null
Invoke-Checked $python @("-m", "venv", "--clear", (Join-Path $Out "venv"))
$venvPython = Join-Path $Out "venv\Scripts\python.exe"
$readProject = "import sys, tomllib; p = tomllib.load(open(sys.argv[1], 'rb'))['project']; "
$requirements = & $venvPython -c ($readProject + "print('\n'.join(p['dependencies'] + p['optional-dependencies']['bundle']))") $pyproject
$version = & $venvPython -c ($readProject + "print(p['version'])") $pyproject
Invoke-Checked $venvPython (@("-m", "pip", "install", "--quiet", "--disable-pip-version-check") + $requirements)
Invoke-Checked $venvPython @("-m", "PyInstaller", "--noconfirm", "--log-level", "WARN",
    "--distpath", (Join-Path $Out "dist"), "--workpath", (Join-Path $Out "build"),
    (Join-Path $root "installer\hembesok.spec"))
Write-Host "Bundle: $(Join-Path $Out 'dist\Hembesok\Hembesok.exe')"
if ($NoInstaller) { exit 0 }

$iscc = (Get-Command ISCC.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = Join-Path ${env:ProgramFiles(x86)} "Inno Setup 6\ISCC.exe" }
Invoke-Checked $iscc @("/DAppVersion=$version", "/DBundleDir=$(Join-Path $Out 'dist\Hembesok')", "/O$Out",
    (Join-Path $root "installer\hembesok.iss"))
Write-Host "Installer: $(Join-Path $Out "Hembesok-$version-setup.exe")"
