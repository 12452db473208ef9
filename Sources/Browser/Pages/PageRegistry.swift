/// Every page, for the keymap test and the snapshots. A new page is added here.
public enum PageRegistry {
    public static let all: [any Page.Type] = [
        TreePage.self, FilterPage.self, JumpPage.self, HelpPage.self, URLMenuPage.self, PresignPromptPage.self,
        PublicCheckPage.self, DeleteConfirmationPage.self, HeaderFormPage.self, EditPreviewPage.self, ReportPage.self,
        AuditPage.self, PathPromptPage.self, ConflictPromptPage.self, TransfersPage.self, VersionsPage.self,
        PreviewPage.self, QuitConfirmationPage.self,
        BucketPage.self,
        FindPromptPage.self, FindPage.self, DuplicatesPage.self, StaleStaticPage.self, UploadsPage.self,
        ProfilesPage.self, BookmarkPage.self,
        ImagePage.self,
    ]
}
