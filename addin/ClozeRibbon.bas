Attribute VB_Name = "ClozeRibbon"
' Ribbon callbacks of the Cloze tab (customUI.xml names them as ClozeRibbon.<Sub>).
' Each button runs one fixed Python action; no cell data is ever put into the Python code.
' The App dropdown keeps its choice per workbook in the defined name ClozeAppLinks_App.
Option Explicit

Private Const APP_NAME_KEY As String = "ClozeAppLinks_App"
Private Const ITEM_PREFIX As String = "app_"
Private Const TITLE As String = "Cloze App Links"

Private ribbonUI As IRibbonUI
Private appEvents As ClozeAppEvents

Public Sub OnRibbonLoad(ribbon As IRibbonUI)
    Set ribbonUI = ribbon
    On Error Resume Next
    ' Re-read the App dropdown whenever another workbook comes to the front.
    Set appEvents = New ClozeAppEvents
End Sub

Public Sub RefreshAppChoice()
    If Not ribbonUI Is Nothing Then ribbonUI.InvalidateControl "ClozeAppChoice"
End Sub

Public Sub OnInsertColumns(control As IRibbonControl)
    RunAction "insert_columns"
End Sub

Public Sub OnFillAppLinks(control As IRibbonControl)
    RunAction "fill_app_links"
End Sub

Public Sub OnFromUrls(control As IRibbonControl)
    RunAction "from_urls"
End Sub

Public Sub OnCheckSheet(control As IRibbonControl)
    RunAction "check_sheet"
End Sub

Public Sub OnClearFlags(control As IRibbonControl)
    RunAction "clear_flags"
End Sub

Public Sub OnSaveCsv(control As IRibbonControl)
    RunAction "save_csv"
End Sub

Public Sub OnEmailSupport(control As IRibbonControl)
    RunAction "email_support"
End Sub

Public Sub OnTemplates(control As IRibbonControl)
    RunAction "templates"
End Sub

Public Sub OnHelp(control As IRibbonControl)
    RunAction "help"
End Sub

Public Sub OnAppChosen(control As IRibbonControl, id As String, index As Integer)
    On Error GoTo Failed
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open a workbook first, then choose the app.", vbInformation, TITLE
        Exit Sub
    End If
    Dim appId As String
    appId = Mid$(id, Len(ITEM_PREFIX) + 1)
    ActiveWorkbook.Names.Add Name:=APP_NAME_KEY, RefersTo:="=""" & appId & """"
    Exit Sub
Failed:
    MsgBox "The app choice could not be saved in this workbook (" & Err.Description & ").", _
        vbExclamation, TITLE
End Sub

Public Sub GetSelectedApp(control As IRibbonControl, ByRef returnedVal)
    On Error GoTo NoChoice
    returnedVal = ""
    If ActiveWorkbook Is Nothing Then Exit Sub
    Dim stored As String
    stored = ActiveWorkbook.Names(APP_NAME_KEY).RefersTo
    ' The name holds a text constant such as ="zillow.com".
    If Left$(stored, 2) = "=""" And Right$(stored, 1) = """" Then
        returnedVal = ITEM_PREFIX & Mid$(stored, 3, Len(stored) - 3)
    End If
    Exit Sub
NoChoice:
    returnedVal = ""
End Sub

Private Sub RunAction(ByVal action As String)
    On Error GoTo Failed
    If ActiveWorkbook Is Nothing Then
        MsgBox "Open a workbook first, then try again.", vbInformation, TITLE
        Exit Sub
    End If
    RunPython "import applinks.excel.actions as a; a.run('" & action & "')"
    Exit Sub
Failed:
    MsgBox "This command could not start (" & Err.Description & "). " & _
        "Check that Python and the applinks package are installed.", vbExclamation, TITLE
End Sub
