import Foundation
import TansoCLI

exit(TansoCLI.main(CommandLine.arguments))
