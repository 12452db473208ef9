import XCTest
@testable import Browser
final class BrowserPlaceholderTests: XCTestCase { func testNothing() {} }
