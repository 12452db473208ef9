import S3

/// The roles the renderer colours (the browser's styles with a colour pair).
public enum ColorRole: String, CaseIterable, Sendable {
    case title
    case titleBusy = "title_busy"
    case selected, marked
    case markedSelected = "marked_selected"
    case prefix, error, notice
    case footerKey = "footer_key"
    case detailName = "detail_name"
    case loading
}
