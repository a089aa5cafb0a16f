<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>CertWizardPrompt</name>
        <message>
            <source>Don't show this at start again</source>
            <translation>启动时不再显示</translation>
        </message>
        <message>
            <source>The wizard opened because Spyglass made a new certificate authority; it stays in Tools &gt; Certificate wizard</source>
            <translation>由于 Spyglass 创建了新的证书颁发机构，此向导已自动打开；之后可随时通过“工具 &gt; 证书向导”打开</translation>
        </message>
    </context>
    <context>
        <name>QObject</name>
        <message>
            <source>Spyglass</source>
            <translation>Spyglass</translation>
        </message>
        <message>
            <source>The proxy could not start: %1</source>
            <translation>代理无法启动：%1</translation>
        </message>
    </context>
    <context>
        <name>SaveFileDialog</name>
        <message>
            <source>Spyglass sessions (%1)</source>
            <translation>Spyglass 会话 (%1)</translation>
        </message>
        <message>
            <source>HAR files (%1)</source>
            <translation>HAR 文件 (%1)</translation>
        </message>
        <message>
            <source>mitmproxy flows (%1)</source>
            <translation>mitmproxy 流 (%1)</translation>
        </message>
        <message>
            <source>Charles JSON sessions (%1)</source>
            <translation>Charles JSON 会话 (%1)</translation>
        </message>
    </context>
    <context>
        <name>spyglass::BodyView</name>
        <message>
            <source>How to show the body: Auto picks the view that fits the content</source>
            <translation>正文显示方式：“自动”会选择适合内容的视图</translation>
        </message>
        <message>
            <source>Search in body (Ctrl+F)</source>
            <translation>在正文中搜索 (Ctrl+F)</translation>
        </message>
        <message>
            <source>Enter: next match, Shift+Enter: previous match</source>
            <translation>Enter：下一个匹配，Shift+Enter：上一个匹配</translation>
        </message>
        <message>
            <source>Body:</source>
            <translation>正文：</translation>
        </message>
        <message>
            <source>Auto (%1)</source>
            <translation>自动（%1）</translation>
        </message>
        <message>
            <source>the first %1</source>
            <translation>前 %1</translation>
        </message>
        <message>
            <source>not a complete JSON document (%1), shown as text</source>
            <translation>不是完整的 JSON 文档（%1），以文本显示</translation>
        </message>
        <message>
            <source>showing the first %1</source>
            <translation>仅显示前 %1</translation>
        </message>
    </context>
    <context>
        <name>spyglass::BrowserLauncher</name>
        <message>
            <source>cannot write %1: %2</source>
            <translation>无法写入 %1：%2</translation>
        </message>
        <message>
            <source>certutil %1 failed: %2</source>
            <translation>certutil %1 失败：%2</translation>
        </message>
        <message>
            <source>cannot create a profile directory: %1</source>
            <translation>无法创建配置文件目录：%1</translation>
        </message>
        <message>
            <source>cannot start %1: %2</source>
            <translation>无法启动 %1：%2</translation>
        </message>
    </context>
    <context>
        <name>spyglass::CaInstaller</name>
        <message>
            <source>Linux system store (curl, Python, Go, most tools)</source>
            <translation>Linux 系统存储（curl、Python、Go 及大多数工具）</translation>
        </message>
        <message>
            <source>update-ca-certificates is missing (package ca-certificates)</source>
            <translation>缺少 update-ca-certificates（软件包 ca-certificates）</translation>
        </message>
        <message>
            <source>pkexec is not installed: run the command below</source>
            <translation>未安装 pkexec：请运行下方命令</translation>
        </message>
        <message>
            <source>certutil is missing (package libnss3-tools)</source>
            <translation>缺少 certutil（软件包 libnss3-tools）</translation>
        </message>
        <message>
            <source>Windows: current user's trusted root store (Edge, Chrome, most apps)</source>
            <translation>Windows：当前用户的受信任根存储（Edge、Chrome 及大多数应用）</translation>
        </message>
        <message>
            <source>only possible on Windows itself</source>
            <translation>仅能在 Windows 上进行</translation>
        </message>
        <message>
            <source>macOS login keychain (Safari, Chrome, most apps)</source>
            <translation>macOS 登录钥匙串（Safari、Chrome 及大多数应用）</translation>
        </message>
        <message>
            <source>the security tool was not found</source>
            <translation>未找到 security 工具</translation>
        </message>
        <message>
            <source>Chromium and Chrome (NSS database %1)</source>
            <translation>Chromium 和 Chrome（NSS 数据库 %1）</translation>
        </message>
        <message>
            <source>Firefox profile %1</source>
            <translation>Firefox 配置文件 %1</translation>
        </message>
        <message>
            <source>cannot read %1: %2</source>
            <translation>无法读取 %1：%2</translation>
        </message>
        <message>
            <source>cannot open the Root store (error %1)</source>
            <translation>无法打开 Root 存储（错误 %1）</translation>
        </message>
        <message>
            <source>added to the current user's Root store</source>
            <translation>已添加到当前用户的 Root 存储</translation>
        </message>
        <message>
            <source>the Root store refused the certificate (error %1)</source>
            <translation>Root 存储拒绝了该证书（错误 %1）</translation>
        </message>
        <message>
            <source>(exit code %1)</source>
            <translation>（退出码 %1）</translation>
        </message>
        <message>
            <source>Firefox 120 and later trust the Windows store (the target above); older versions need NSS's certutil, which is not part of Windows</source>
            <translation>Firefox 120 及更高版本信任 Windows 存储（即上方的目标）；更早的版本需要 NSS 的 certutil，而 Windows 并不自带该工具</translation>
        </message>
        <message>
            <source>added to the login keychain and trusted as a root</source>
            <translation>已添加到登录钥匙串并设为受信任的根证书</translation>
        </message>
        <message>
            <source>the keychain refused the certificate: %1</source>
            <translation>钥匙串拒绝了该证书：%1</translation>
        </message>
    </context>
    <context>
        <name>spyglass::CertWizard</name>
        <message>
            <source>Certificate wizard</source>
            <translation>证书向导</translation>
        </message>
        <message>
            <source>Cannot read %1: %2</source>
            <translation>无法读取 %1：%2</translation>
        </message>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>无法写入 %1：%2</translation>
        </message>
        <message>
            <source>The Spyglass certificate authority</source>
            <translation>Spyglass 证书颁发机构</translation>
        </message>
        <message>
            <source>Spyglass decrypts HTTPS with certificates it signs itself. A device or browser accepts them once it trusts this certificate authority.</source>
            <translation>Spyglass 使用自己签发的证书解密 HTTPS。设备或浏览器信任此证书颁发机构后即会接受这些证书。</translation>
        </message>
        <message>
            <source>No certificate was found in %1. Start the proxy once: it creates the certificate authority there.</source>
            <translation>在 %1 中未找到证书。请启动一次代理：它会在那里创建证书颁发机构。</translation>
        </message>
        <message>
            <source>Subject:</source>
            <translation>主题：</translation>
        </message>
        <message>
            <source>Valid from:</source>
            <translation>有效期自：</translation>
        </message>
        <message>
            <source>Valid until:</source>
            <translation>有效期至：</translation>
        </message>
        <message>
            <source>Compare this with what a device shows when it installs the certificate</source>
            <translation>与设备安装证书时显示的内容进行比对</translation>
        </message>
        <message>
            <source>SHA-256 fingerprint:</source>
            <translation>SHA-256 指纹：</translation>
        </message>
        <message>
            <source>Files:</source>
            <translation>文件：</translation>
        </message>
        <message>
            <source>Keep the private key (%1) secret: whoever holds it can read the traffic of every device that trusts this certificate. Other devices can fetch the certificate from http://spyglass.proxy/ while they use this proxy.</source>
            <translation>请妥善保管私钥（%1）：持有者可读取所有信任此证书的设备的流量。其他设备在使用此代理时可从 http://spyglass.proxy/ 获取证书。</translation>
        </message>
        <message>
            <source>Install the certificate</source>
            <translation>安装证书</translation>
        </message>
        <message>
            <source>Tick where Spyglass should install it. Where it cannot do so from here, the command below does the same in a terminal.</source>
            <translation>勾选 Spyglass 应安装证书的位置。无法从此处安装的，可在终端中运行下方命令完成。</translation>
        </message>
        <message>
            <source>Where</source>
            <translation>位置</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>The trust stores found on this machine</source>
            <translation>在本机找到的信任存储</translation>
        </message>
        <message>
            <source>Ready to install</source>
            <translation>可以安装</translation>
        </message>
        <message>
            <source>&amp;Install selected</source>
            <translation>安装所选(&amp;I)</translation>
        </message>
        <message>
            <source>Run the commands for the ticked places; the system may ask for your password</source>
            <translation>为勾选的位置运行命令；系统可能会要求输入密码</translation>
        </message>
        <message>
            <source>&amp;Copy commands</source>
            <translation>复制命令(&amp;C)</translation>
        </message>
        <message>
            <source>Copy the commands below to the clipboard</source>
            <translation>将下方命令复制到剪贴板</translation>
        </message>
        <message>
            <source>Commands that do the same by hand:</source>
            <translation>手动完成相同操作的命令：</translation>
        </message>
        <message>
            <source>Paste these into a terminal to install the certificate yourself</source>
            <translation>将这些命令粘贴到终端中自行安装证书</translation>
        </message>
        <message>
            <source>What the installation printed appears here.</source>
            <translation>安装输出将显示在此处。</translation>
        </message>
        <message>
            <source>Output of the install commands</source>
            <translation>安装命令的输出</translation>
        </message>
        <message>
            <source>Installed</source>
            <translation>已安装</translation>
        </message>
        <message>
            <source>Failed: see below</source>
            <translation>失败：见下方</translation>
        </message>
        <message>
            <source>Waiting…</source>
            <translation>等待中…</translation>
        </message>
        <message>
            <source>Installing…</source>
            <translation>正在安装…</translation>
        </message>
        <message>
            <source>Cannot run here</source>
            <translation>无法在此运行</translation>
        </message>
        <message>
            <source>Export the certificate</source>
            <translation>导出证书</translation>
        </message>
        <message>
            <source>For other devices, or to install it by hand. Only the certificate is exported, never the private key.</source>
            <translation>用于其他设备或手动安装。只导出证书，绝不导出私钥。</translation>
        </message>
        <message>
            <source>Save as &amp;PEM…</source>
            <translation>另存为 PEM(&amp;P)…</translation>
        </message>
        <message>
            <source>Text format: Linux, macOS, Firefox, iOS, curl</source>
            <translation>文本格式：Linux、macOS、Firefox、iOS、curl</translation>
        </message>
        <message>
            <source>Save as &amp;CER…</source>
            <translation>另存为 CER(&amp;C)…</translation>
        </message>
        <message>
            <source>Binary DER format: Windows, Android</source>
            <translation>二进制 DER 格式：Windows、Android</translation>
        </message>
        <message>
            <source>Save as P&amp;12…</source>
            <translation>另存为 P12(&amp;1)…</translation>
        </message>
        <message>
            <source>PKCS#12: Windows and macOS import dialogs</source>
            <translation>PKCS#12：Windows 和 macOS 导入对话框</translation>
        </message>
        <message>
            <source>PEM certificate (*.pem *.crt)</source>
            <translation>PEM 证书 (*.pem *.crt)</translation>
        </message>
        <message>
            <source>DER certificate (*.cer *.der)</source>
            <translation>DER 证书 (*.cer *.der)</translation>
        </message>
        <message>
            <source>PKCS#12 file (*.p12 *.pfx)</source>
            <translation>PKCS#12 文件 (*.p12 *.pfx)</translation>
        </message>
        <message>
            <source>Saved %1</source>
            <translation>已保存 %1</translation>
        </message>
        <message>
            <source>Check</source>
            <translation>检查</translation>
        </message>
        <message>
            <source>Fetches an HTTPS page through the proxy with the system's trust store, as an application would.</source>
            <translation>像应用程序一样，使用系统信任存储通过代理获取一个 HTTPS 页面。</translation>
        </message>
        <message>
            <source>Any https URL; the default is answered by Spyglass itself, without the internet</source>
            <translation>任意 https URL；默认地址由 Spyglass 自身应答，无需联网</translation>
        </message>
        <message>
            <source>C&amp;heck now</source>
            <translation>立即检查(&amp;H)</translation>
        </message>
        <message>
            <source>Fetch the URL through the proxy at %1:%2</source>
            <translation>通过 %1:%2 上的代理获取该 URL</translation>
        </message>
        <message>
            <source>Not checked yet.</source>
            <translation>尚未检查。</translation>
        </message>
        <message>
            <source>Browsers with their own certificate store (Firefox, and Chromium on Linux) are not covered by this check. Applications started before the installation may need a restart.</source>
            <translation>此检查不涵盖使用自有证书存储的浏览器（Firefox，以及 Linux 上的 Chromium）。安装前已启动的应用程序可能需要重启。</translation>
        </message>
        <message>
            <source>&lt;b style='color:#1a7f37'&gt;Trusted.&lt;/b&gt; %1</source>
            <translation>&lt;b style='color:#1a7f37'&gt;受信任。&lt;/b&gt; %1</translation>
        </message>
        <message>
            <source>&lt;b style='color:#c62828'&gt;Not trusted.&lt;/b&gt; %1</source>
            <translation>&lt;b style='color:#c62828'&gt;不受信任。&lt;/b&gt; %1</translation>
        </message>
        <message>
            <source>&lt;b&gt;Could not check:&lt;/b&gt; %1. Is the proxy running?</source>
            <translation>&lt;b&gt;无法检查：&lt;/b&gt;%1。代理是否正在运行？</translation>
        </message>
        <message>
            <source>Enter an https:// URL.</source>
            <translation>请输入 https:// URL。</translation>
        </message>
        <message>
            <source>Checking…</source>
            <translation>正在检查…</translation>
        </message>
    </context>
    <context>
        <name>spyglass::CommentDialog</name>
        <message>
            <source>Comment on the flow</source>
            <translation>流的注释</translation>
        </message>
        <message numerus="yes">
            <source>Comment on %n flows</source>
            <translation>
                <numerusform>%n 个流的注释</numerusform>
            </translation>
        </message>
        <message>
            <source>Comment (empty removes it); find commented flows with ~comment TEXT:</source>
            <translation>注释（留空即删除）；用 ~comment 文本 查找带注释的流：</translation>
        </message>
        <message>
            <source>Kept with the flow in saved sessions and HAR files</source>
            <translation>随流保存在会话和 HAR 文件中</translation>
        </message>
        <message>
            <source>Set the comment (Ctrl+Enter)</source>
            <translation>设置注释 (Ctrl+Enter)</translation>
        </message>
    </context>
    <context>
        <name>spyglass::CommentView</name>
        <message>
            <source>A note for this flow: kept in saved sessions and HAR files, found with ~comment.</source>
            <translation>此流的备注：保存在会话和 HAR 文件中，可用 ~comment 查找。</translation>
        </message>
        <message>
            <source>No comment. Type one here.</source>
            <translation>无注释。在此输入。</translation>
        </message>
        <message>
            <source>The flow's comment; saved as you type</source>
            <translation>流的注释；输入时自动保存</translation>
        </message>
    </context>
    <context>
        <name>spyglass::ConnectionView</name>
        <message>
            <source>Address</source>
            <translation>地址</translation>
        </message>
        <message>
            <source>Local address</source>
            <translation>本地地址</translation>
        </message>
        <message>
            <source>Through proxy</source>
            <translation>经由代理</translation>
        </message>
        <message>
            <source>TLS</source>
            <translation>TLS</translation>
        </message>
        <message>
            <source>not established</source>
            <translation>未建立</translation>
        </message>
        <message>
            <source>no</source>
            <translation>否</translation>
        </message>
        <message>
            <source>Cipher</source>
            <translation>加密套件</translation>
        </message>
        <message>
            <source>SNI</source>
            <translation>SNI</translation>
        </message>
        <message>
            <source>ALPN offered</source>
            <translation>提供的 ALPN</translation>
        </message>
        <message>
            <source>ALPN offered by client</source>
            <translation>客户端提供的 ALPN</translation>
        </message>
        <message>
            <source>ALPN chosen</source>
            <translation>选定的 ALPN</translation>
        </message>
        <message>
            <source>Opened</source>
            <translation>已打开</translation>
        </message>
        <message>
            <source>TCP set up</source>
            <translation>TCP 已建立</translation>
        </message>
        <message>
            <source>TLS set up</source>
            <translation>TLS 已建立</translation>
        </message>
        <message>
            <source>Closed</source>
            <translation>已关闭</translation>
        </message>
        <message>
            <source>Error</source>
            <translation>错误</translation>
        </message>
        <message>
            <source>Select a flow to see its connections.</source>
            <translation>选择一个流以查看其连接。</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>客户端</translation>
        </message>
        <message>
            <source>Server</source>
            <translation>服务器</translation>
        </message>
        <message>
            <source>No server connection was made.</source>
            <translation>未建立服务器连接。</translation>
        </message>
        <message>
            <source>Server certificate chain</source>
            <translation>服务器证书链</translation>
        </message>
        <message>
            <source>Leaf certificate</source>
            <translation>叶证书</translation>
        </message>
        <message>
            <source>Issuer certificate %1</source>
            <translation>颁发者证书 %1</translation>
        </message>
        <message>
            <source>Certificate</source>
            <translation>证书</translation>
        </message>
        <message numerus="yes">
            <source>not readable (%n byte(s))</source>
            <translation>
                <numerusform>不可读（%n 字节）</numerusform>
            </translation>
        </message>
        <message>
            <source>Subject</source>
            <translation>主题</translation>
        </message>
        <message>
            <source>Issuer</source>
            <translation>颁发者</translation>
        </message>
        <message>
            <source>Valid from</source>
            <translation>有效期自</translation>
        </message>
        <message>
            <source>Valid until</source>
            <translation>有效期至</translation>
        </message>
        <message>
            <source>Alternative names</source>
            <translation>备用名称</translation>
        </message>
        <message>
            <source>Serial number</source>
            <translation>序列号</translation>
        </message>
        <message>
            <source>SHA-256</source>
            <translation>SHA-256</translation>
        </message>
    </context>
    <context>
        <name>spyglass::ContentView</name>
        <message>
            <source>JSON</source>
            <translation>JSON</translation>
        </message>
        <message>
            <source>JSON tree</source>
            <translation>JSON 树</translation>
        </message>
        <message>
            <source>XML</source>
            <translation>XML</translation>
        </message>
        <message>
            <source>HTML</source>
            <translation>HTML</translation>
        </message>
        <message>
            <source>Form</source>
            <translation>表单</translation>
        </message>
        <message>
            <source>Multipart form</source>
            <translation>多部分表单</translation>
        </message>
        <message>
            <source>Query</source>
            <translation>查询参数</translation>
        </message>
        <message>
            <source>Image</source>
            <translation>图像</translation>
        </message>
        <message>
            <source>Raw</source>
            <translation>原始</translation>
        </message>
        <message>
            <source>Hex</source>
            <translation>十六进制</translation>
        </message>
        <message numerus="yes">
            <source>%n field(s)</source>
            <translation>
                <numerusform>%n 个字段</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n query parameter(s)</source>
            <translation>
                <numerusform>%n 个查询参数</numerusform>
            </translation>
        </message>
        <message>
            <source>file "%1", %2, %3</source>
            <translation>文件“%1”，%2，%3</translation>
        </message>
        <message>
            <source>%1 of binary data</source>
            <translation>%1 二进制数据</translation>
        </message>
        <message>
            <source>(part %1)</source>
            <translation>（第 %1 部分）</translation>
        </message>
        <message numerus="yes">
            <source>%n part(s)</source>
            <translation>
                <numerusform>%n 个部分</numerusform>
            </translation>
        </message>
        <message>
            <source>not an image Qt can read: %1</source>
            <translation>不是 Qt 可读取的图像：%1</translation>
        </message>
        <message>
            <source>%1, %2 × %3 pixels</source>
            <translation>%1，%2 × %3 像素</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FieldTableModel</name>
        <message numerus="yes">
            <source>(%n byte(s) of binary data)</source>
            <translation>
                <numerusform>（%n 字节二进制数据）</numerusform>
            </translation>
        </message>
        <message>
            <source>Binary data, kept as it is; remove the row to drop it</source>
            <translation>二进制数据，保持原样；移除该行即可丢弃</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FilterBar</name>
        <message>
            <source>Filter, e.g. ~m POST &amp; !~c 200 or ~d example.com</source>
            <translation>过滤，例如 ~m POST &amp; !~c 200 或 ~d example.com</translation>
        </message>
        <message>
            <source>Filter expressions: ! (not), &amp; (and), | (or), ( ). Operators:</source>
            <translation>过滤表达式：!（非）、&amp;（与）、|（或）、( )。运算符：</translation>
        </message>
        <message>
            <source>Recent expressions (Up and Down walk them)</source>
            <translation>最近的表达式（用上下键浏览）</translation>
        </message>
        <message>
            <source>Recent expressions</source>
            <translation>最近的表达式</translation>
        </message>
        <message>
            <source>No recent expressions</source>
            <translation>没有最近的表达式</translation>
        </message>
        <message>
            <source>Clear history</source>
            <translation>清除历史</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowActions</name>
        <message>
            <source>&amp;Edit…</source>
            <translation>编辑(&amp;E)…</translation>
        </message>
        <message>
            <source>Edit the selected flow's request and response; an intercepted flow goes on with the edit (e)</source>
            <translation>编辑所选流的请求和响应；被拦截的流将带着修改继续 (e)</translation>
        </message>
        <message>
            <source>Re&amp;vert changes</source>
            <translation>撤销更改(&amp;V)</translation>
        </message>
        <message>
            <source>Bring back the selected flow as it was recorded (V)</source>
            <translation>将所选流恢复为录制时的样子 (V)</translation>
        </message>
        <message>
            <source>Select a flow first.</source>
            <translation>请先选择一个流。</translation>
        </message>
        <message>
            <source>&amp;Duplicate</source>
            <translation>复制流(&amp;D)</translation>
        </message>
        <message>
            <source>Add a copy of the selected flow to the list (D)</source>
            <translation>将所选流的副本添加到列表 (D)</translation>
        </message>
        <message>
            <source>&amp;New request…</source>
            <translation>新建请求(&amp;N)…</translation>
        </message>
        <message>
            <source>Compose a request from scratch (%1)</source>
            <translation>从头编写请求 (%1)</translation>
        </message>
        <message>
            <source>&amp;Resend</source>
            <translation>重新发送(&amp;R)</translation>
        </message>
        <message>
            <source>Send the selected flow's request again, as edited; the answer comes as a new flow (r)</source>
            <translation>按编辑后的内容重新发送所选流的请求；响应将作为新流出现 (r)</translation>
        </message>
        <message>
            <source>Select a flow to edit.</source>
            <translation>请选择要编辑的流。</translation>
        </message>
        <message>
            <source>Only HTTP flows can be edited.</source>
            <translation>只能编辑 HTTP 流。</translation>
        </message>
        <message>
            <source>The flow is held at a WebSocket message, which cannot be edited here: resume (a) or kill (x) it.</source>
            <translation>该流停在一条 WebSocket 消息处，此处无法编辑：请继续 (a) 或终止 (x)。</translation>
        </message>
        <message>
            <source>The flow is still running: edit it when it has finished, or intercept it.</source>
            <translation>该流仍在进行中：请在其完成后编辑，或将其拦截。</translation>
        </message>
        <message>
            <source>Save and resume</source>
            <translation>保存并继续</translation>
        </message>
        <message>
            <source>The intercepted flow goes on with these changes</source>
            <translation>被拦截的流将带着这些更改继续</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>Change this flow in the list; Revert (V) brings the recorded one back</source>
            <translation>在列表中修改此流；撤销 (V) 可恢复录制的版本</translation>
        </message>
        <message>
            <source>Save and resend</source>
            <translation>保存并重新发送</translation>
        </message>
        <message>
            <source>Change this flow, then send its request again</source>
            <translation>修改此流，然后重新发送其请求</translation>
        </message>
        <message>
            <source>Add to list</source>
            <translation>添加到列表</translation>
        </message>
        <message>
            <source>Add the request to the flow list unsent</source>
            <translation>将请求添加到流列表但不发送</translation>
        </message>
        <message>
            <source>Send</source>
            <translation>发送</translation>
        </message>
        <message>
            <source>Add the request to the list and send it</source>
            <translation>将请求添加到列表并发送</translation>
        </message>
        <message>
            <source>New request added.</source>
            <translation>已添加新请求。</translation>
        </message>
        <message>
            <source>The flow is no longer held: the edit was not applied.</source>
            <translation>该流已不再被拦截：修改未应用。</translation>
        </message>
        <message>
            <source>The intercepted flow goes on with the edit.</source>
            <translation>被拦截的流将带着修改继续。</translation>
        </message>
        <message>
            <source>The flow is no longer in the list.</source>
            <translation>该流已不在列表中。</translation>
        </message>
        <message>
            <source>Flow changed; Revert (V) brings back the recorded one.</source>
            <translation>流已修改；撤销 (V) 可恢复录制的版本。</translation>
        </message>
        <message>
            <source>Select a flow to duplicate.</source>
            <translation>请选择要复制的流。</translation>
        </message>
        <message>
            <source>Flow duplicated.</source>
            <translation>流已复制。</translation>
        </message>
        <message>
            <source>The flow was not changed here: nothing to revert.</source>
            <translation>该流未在此处修改：无可撤销。</translation>
        </message>
        <message>
            <source>Flow reverted to the recorded one.</source>
            <translation>流已恢复为录制的版本。</translation>
        </message>
        <message>
            <source>Resending is not available here.</source>
            <translation>此处无法重新发送。</translation>
        </message>
        <message>
            <source>Only HTTP requests can be resent.</source>
            <translation>只能重新发送 HTTP 请求。</translation>
        </message>
        <message>
            <source>The flow is still running: resend it when it has finished.</source>
            <translation>该流仍在进行中：请在其完成后重新发送。</translation>
        </message>
        <message>
            <source>Request sent again; its answer comes as a new flow.</source>
            <translation>请求已重新发送；响应将作为新流出现。</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowDetailView</name>
        <message>
            <source>Request</source>
            <translation>请求</translation>
        </message>
        <message>
            <source>Response</source>
            <translation>响应</translation>
        </message>
        <message>
            <source>WebSocket</source>
            <translation>WebSocket</translation>
        </message>
        <message>
            <source>TCP stream</source>
            <translation>TCP 流</translation>
        </message>
        <message>
            <source>Timing</source>
            <translation>时间线</translation>
        </message>
        <message>
            <source>Connection</source>
            <translation>连接</translation>
        </message>
        <message>
            <source>The WebSocket messages of this flow</source>
            <translation>此流的 WebSocket 消息</translation>
        </message>
        <message>
            <source>The bytes each side sent on this TCP connection</source>
            <translation>此 TCP 连接上双方发送的字节</translation>
        </message>
        <message>
            <source>When each phase of the exchange happened</source>
            <translation>交换各阶段发生的时间</translation>
        </message>
        <message>
            <source>Addresses, TLS and the server's certificates</source>
            <translation>地址、TLS 及服务器证书</translation>
        </message>
        <message>
            <source>Select a flow to see its request and response.</source>
            <translation>选择一个流以查看其请求和响应。</translation>
        </message>
        <message>
            <source>Error: %1</source>
            <translation>错误：%1</translation>
        </message>
        <message>
            <source>Waiting for the response…</source>
            <translation>正在等待响应…</translation>
        </message>
        <message>
            <source>No response.</source>
            <translation>没有响应。</translation>
        </message>
        <message>
            <source>Comment</source>
            <translation>注释</translation>
        </message>
        <message>
            <source>Your note on this flow (searchable with ~comment)</source>
            <translation>你对此流的备注（可用 ~comment 搜索）</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowEditor</name>
        <message>
            <source>New request</source>
            <translation>新建请求</translation>
        </message>
        <message>
            <source>Edit %1 %2</source>
            <translation>编辑 %1 %2</translation>
        </message>
        <message>
            <source>Request</source>
            <translation>请求</translation>
        </message>
        <message>
            <source>Response</source>
            <translation>响应</translation>
        </message>
        <message>
            <source>Held at its response: the request was sent already</source>
            <translation>停在响应处：请求已发送</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>保存</translation>
        </message>
        <message>
            <source>Close without changing the flow (Esc)</source>
            <translation>关闭且不修改流 (Esc)</translation>
        </message>
        <message>
            <source>Request: %1</source>
            <translation>请求：%1</translation>
        </message>
        <message>
            <source>Response: %1</source>
            <translation>响应：%1</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowListActions</name>
        <message>
            <source>Default</source>
            <translation>默认</translation>
        </message>
        <message>
            <source>Red</source>
            <translation>红色</translation>
        </message>
        <message>
            <source>Orange</source>
            <translation>橙色</translation>
        </message>
        <message>
            <source>Yellow</source>
            <translation>黄色</translation>
        </message>
        <message>
            <source>Green</source>
            <translation>绿色</translation>
        </message>
        <message>
            <source>Blue</source>
            <translation>蓝色</translation>
        </message>
        <message>
            <source>Purple</source>
            <translation>紫色</translation>
        </message>
        <message>
            <source>Brown</source>
            <translation>棕色</translation>
        </message>
        <message>
            <source>Star</source>
            <translation>星星</translation>
        </message>
        <message>
            <source>Heart</source>
            <translation>爱心</translation>
        </message>
        <message>
            <source>Fire</source>
            <translation>火焰</translation>
        </message>
        <message>
            <source>Bug</source>
            <translation>虫子</translation>
        </message>
        <message>
            <source>Warning</source>
            <translation>警告</translation>
        </message>
        <message>
            <source>Check mark</source>
            <translation>对勾</translation>
        </message>
        <message>
            <source>Cross</source>
            <translation>叉号</translation>
        </message>
        <message>
            <source>Question</source>
            <translation>问号</translation>
        </message>
        <message>
            <source>Lock</source>
            <translation>锁</translation>
        </message>
        <message>
            <source>Eyes</source>
            <translation>眼睛</translation>
        </message>
        <message>
            <source>Toggle &amp;mark</source>
            <translation>切换标记(&amp;M)</translation>
        </message>
        <message>
            <source>Mark the selected flows, or unmark them if marked (m)</source>
            <translation>标记所选流，若已标记则取消标记 (m)</translation>
        </message>
        <message>
            <source>M&amp;ark</source>
            <translation>标记(&amp;A)</translation>
        </message>
        <message>
            <source>Mark the selected flows with a colour or an emoji (~marker)</source>
            <translation>用颜色或表情符号标记所选流 (~marker)</translation>
        </message>
        <message>
            <source>Find these with ~marker %1</source>
            <translation>用 ~marker %1 查找这些流</translation>
        </message>
        <message>
            <source>&amp;Other…</source>
            <translation>其他(&amp;O)…</translation>
        </message>
        <message>
            <source>Any of mitmproxy's markers: an :emoji: code, a letter or a digit</source>
            <translation>任意 mitmproxy 标记：:emoji: 代码、字母或数字</translation>
        </message>
        <message>
            <source>&amp;Unmark</source>
            <translation>取消标记(&amp;U)</translation>
        </message>
        <message>
            <source>Remove the mark of the selected flows</source>
            <translation>移除所选流的标记</translation>
        </message>
        <message>
            <source>&amp;Comment…</source>
            <translation>注释(&amp;C)…</translation>
        </message>
        <message>
            <source>Write a comment on the selected flows (C); find them with ~comment</source>
            <translation>为所选流写注释 (C)；用 ~comment 查找</translation>
        </message>
        <message>
            <source>Copy &amp;as</source>
            <translation>复制为(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;curl command</source>
            <translation>curl 命令(&amp;C)</translation>
        </message>
        <message>
            <source>&amp;HTTPie command</source>
            <translation>HTTPie 命令(&amp;H)</translation>
        </message>
        <message>
            <source>Raw &amp;request</source>
            <translation>原始请求(&amp;R)</translation>
        </message>
        <message>
            <source>Raw re&amp;sponse</source>
            <translation>原始响应(&amp;S)</translation>
        </message>
        <message>
            <source>Ra&amp;w request and response</source>
            <translation>原始请求和响应(&amp;W)</translation>
        </message>
        <message>
            <source>Copy the selected flows to the clipboard as %1</source>
            <translation>将所选流以 %1 形式复制到剪贴板</translation>
        </message>
        <message>
            <source>Save s&amp;elected flows…</source>
            <translation>保存所选流(&amp;E)…</translation>
        </message>
        <message>
            <source>Save &amp;filtered flows…</source>
            <translation>保存过滤后的流(&amp;F)…</translation>
        </message>
        <message>
            <source>&amp;Export HAR…</source>
            <translation>导出 HAR(&amp;E)…</translation>
        </message>
        <message>
            <source>Save every flow of the session as a HAR file (Ctrl+Shift+H)</source>
            <translation>将会话中的所有流保存为 HAR 文件 (Ctrl+Shift+H)</translation>
        </message>
        <message>
            <source>&amp;Delete</source>
            <translation>删除(&amp;D)</translation>
        </message>
        <message>
            <source>Remove the selected flows from the session (d, Delete)</source>
            <translation>从会话中移除所选流 (d, Delete)</translation>
        </message>
        <message>
            <source>Invalid marker value: %1</source>
            <translation>无效的标记值：%1</translation>
        </message>
        <message>
            <source>Mark flows</source>
            <translation>标记流</translation>
        </message>
        <message>
            <source>Marker: an emoji code such as :rocket:, a letter or a digit</source>
            <translation>标记：表情代码（如 :rocket:）、字母或数字</translation>
        </message>
        <message>
            <source>“%1” is not a marker: use an :emoji: code, a letter or a digit.</source>
            <translation>“%1”不是标记：请使用 :emoji: 代码、字母或数字。</translation>
        </message>
        <message>
            <source>Copy as %1: %2</source>
            <translation>复制为 %1：%2</translation>
        </message>
        <message>
            <source>Copied the flow as %1</source>
            <translation>已将流复制为 %1</translation>
        </message>
        <message>
            <source>Copied %1 flows as %2</source>
            <translation>已将 %1 个流复制为 %2</translation>
        </message>
        <message>
            <source>No flows to save</source>
            <translation>没有可保存的流</translation>
        </message>
        <message>
            <source>HAR files (%1)</source>
            <translation>HAR 文件 (%1)</translation>
        </message>
        <message>
            <source>Save filtered flows</source>
            <translation>保存过滤后的流</translation>
        </message>
        <message>
            <source>Save selected flows</source>
            <translation>保存所选流</translation>
        </message>
        <message>
            <source>Save flows</source>
            <translation>保存流</translation>
        </message>
        <message>
            <source>Saved %1 flows to %2</source>
            <translation>已将 %1 个流保存到 %2</translation>
        </message>
        <message>
            <source>Export HAR</source>
            <translation>导出 HAR</translation>
        </message>
        <message>
            <source>Exported %1 flows to %2</source>
            <translation>已将 %1 个流导出到 %2</translation>
        </message>
        <message>
            <source>Deleted 1 flow</source>
            <translation>已删除 1 个流</translation>
        </message>
        <message>
            <source>Deleted %1 flows</source>
            <translation>已删除 %1 个流</translation>
        </message>
        <message>
            <source>Save the selected flows as a Spyglass session, HAR, mitmproxy flows or Charles JSON</source>
            <translation>将所选流保存为 Spyglass 会话、HAR、mitmproxy 流或 Charles JSON</translation>
        </message>
        <message>
            <source>Save the flows the filter shows as a Spyglass session, HAR, mitmproxy flows or Charles JSON</source>
            <translation>将过滤器显示的流保存为 Spyglass 会话、HAR、mitmproxy 流或 Charles JSON</translation>
        </message>
        <message>
            <source>(1 held flow killed)</source>
            <translation>（已终止 1 个被拦截的流）</translation>
        </message>
        <message>
            <source>(%1 held flows killed)</source>
            <translation>（已终止 %1 个被拦截的流）</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowListModel</name>
        <message>
            <source>error</source>
            <translation>错误</translation>
        </message>
        <message>
            <source>…</source>
            <translation>…</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 毫秒</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 秒</translation>
        </message>
        <message>
            <source>#</source>
            <translation>#</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Client</source>
            <translation>客户端</translation>
        </message>
        <message>
            <source>Method</source>
            <translation>方法</translation>
        </message>
        <message>
            <source>Scheme</source>
            <translation>协议</translation>
        </message>
        <message>
            <source>Host</source>
            <translation>主机</translation>
        </message>
        <message>
            <source>Path</source>
            <translation>路径</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Content type</source>
            <translation>内容类型</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>大小</translation>
        </message>
        <message>
            <source>Duration</source>
            <translation>耗时</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>版本</translation>
        </message>
        <message>
            <source>TLS</source>
            <translation>TLS</translation>
        </message>
        <message>
            <source>Mark</source>
            <translation>标记</translation>
        </message>
        <message>
            <source>Comment</source>
            <translation>注释</translation>
        </message>
        <message>
            <source>Modified — Revert with V</source>
            <translation>已修改 — 按 V 撤销</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowStructureModel</name>
        <message>
            <source>Host and path</source>
            <translation>主机和路径</translation>
        </message>
        <message>
            <source>Flows</source>
            <translation>流</translation>
        </message>
    </context>
    <context>
        <name>spyglass::FlowTableView</name>
        <message>
            <source>Click to sort, drag to reorder, right-click to choose columns</source>
            <translation>单击排序，拖动调整顺序，右键选择列</translation>
        </message>
        <message>
            <source>Columns</source>
            <translation>列</translation>
        </message>
        <message>
            <source>Reset columns</source>
            <translation>重置列</translation>
        </message>
    </context>
    <context>
        <name>spyglass::JsonTreeView</name>
        <message>
            <source>unexpected data after the document</source>
            <translation>文档之后有意外的数据</translation>
        </message>
        <message>
            <source>offset %1: %2</source>
            <translation>偏移 %1：%2</translation>
        </message>
        <message>
            <source>…</source>
            <translation>…</translation>
        </message>
        <message>
            <source>the rest is not shown (more than %1 values)</source>
            <translation>其余部分未显示（超过 %1 个值）</translation>
        </message>
        <message>
            <source>expected a string</source>
            <translation>应为字符串</translation>
        </message>
        <message>
            <source>bad \u escape</source>
            <translation>无效的 \u 转义</translation>
        </message>
        <message>
            <source>unterminated string</source>
            <translation>未结束的字符串</translation>
        </message>
        <message>
            <source>nested too deeply</source>
            <translation>嵌套过深</translation>
        </message>
        <message>
            <source>unexpected end</source>
            <translation>意外结束</translation>
        </message>
        <message>
            <source>object</source>
            <translation>对象</translation>
        </message>
        <message>
            <source>array</source>
            <translation>数组</translation>
        </message>
        <message>
            <source>expected ':'</source>
            <translation>应为 ':'</translation>
        </message>
        <message>
            <source>expected ',' or '%1'</source>
            <translation>应为 ',' 或 '%1'</translation>
        </message>
        <message numerus="yes">
            <source>{%n key(s)}</source>
            <translation>
                <numerusform>{%n 个键}</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>[%n item(s)]</source>
            <translation>
                <numerusform>[%n 项]</numerusform>
            </translation>
        </message>
        <message>
            <source>string</source>
            <translation>字符串</translation>
        </message>
        <message>
            <source>boolean</source>
            <translation>布尔值</translation>
        </message>
        <message>
            <source>null</source>
            <translation>null</translation>
        </message>
        <message>
            <source>not a JSON value</source>
            <translation>不是 JSON 值</translation>
        </message>
        <message>
            <source>number</source>
            <translation>数字</translation>
        </message>
        <message>
            <source>Key</source>
            <translation>密钥</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>值</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>类型</translation>
        </message>
    </context>
    <context>
        <name>spyglass::Language</name>
        <message>
            <source>&amp;Language</source>
            <translation>语言(&amp;L)</translation>
        </message>
        <message>
            <source>Takes effect when Spyglass is started again</source>
            <translation>重新启动 Spyglass 后生效</translation>
        </message>
        <message>
            <source>&amp;System language</source>
            <translation>系统语言(&amp;S)</translation>
        </message>
    </context>
    <context>
        <name>spyglass::MainWindow</name>
        <message>
            <source>Spyglass</source>
            <translation>Spyglass</translation>
        </message>
        <message>
            <source>&amp;Start proxy</source>
            <translation>启动代理(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Clear flows</source>
            <translation>清除流(&amp;C)</translation>
        </message>
        <message>
            <source>Remove every flow from the list</source>
            <translation>从列表中移除所有流</translation>
        </message>
        <message>
            <source>&amp;Open session…</source>
            <translation>打开会话(&amp;O)…</translation>
        </message>
        <message>
            <source>&amp;Save session</source>
            <translation>保存会话(&amp;S)</translation>
        </message>
        <message>
            <source>Save session</source>
            <translation>保存会话</translation>
        </message>
        <message>
            <source>Save session &amp;as…</source>
            <translation>会话另存为(&amp;A)…</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>&amp;Filter…</source>
            <translation>过滤(&amp;F)…</translation>
        </message>
        <message>
            <source>&amp;Intercept</source>
            <translation>拦截(&amp;I)</translation>
        </message>
        <message>
            <source>Hold the flows that match the intercept filter (Ctrl+I)</source>
            <translation>暂停匹配拦截过滤器的流 (Ctrl+I)</translation>
        </message>
        <message>
            <source>&amp;Resume</source>
            <translation>继续(&amp;R)</translation>
        </message>
        <message>
            <source>Let the selected intercepted flow go on (a)</source>
            <translation>继续所选的已拦截流 (a)</translation>
        </message>
        <message>
            <source>Resume &amp;all</source>
            <translation>全部继续(&amp;A)</translation>
        </message>
        <message>
            <source>Let every intercepted flow go on (A)</source>
            <translation>继续所有已拦截的流 (A)</translation>
        </message>
        <message>
            <source>&amp;Kill</source>
            <translation>终止(&amp;K)</translation>
        </message>
        <message>
            <source>Close the selected intercepted flow without an answer (x)</source>
            <translation>关闭所选的已拦截流，不作应答 (x)</translation>
        </message>
        <message>
            <source>&amp;Preferences…</source>
            <translation>首选项(&amp;P)…</translation>
        </message>
        <message>
            <source>Every option of the proxy, as --set names them (Ctrl+,)</source>
            <translation>代理的所有选项，名称与 --set 相同 (Ctrl+,)</translation>
        </message>
        <message>
            <source>&amp;About Spyglass</source>
            <translation>关于 Spyglass(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;Edit</source>
            <translation>编辑(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;Proxy</source>
            <translation>代理(&amp;P)</translation>
        </message>
        <message>
            <source>F&amp;low</source>
            <translation>流(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Spyglass %1&lt;/h3&gt;&lt;p&gt;An HTTPS-intercepting proxy: it records every exchange between an application and the network, decrypting TLS with certificates from its own certificate authority.&lt;/p&gt;&lt;p&gt;Built with Qt %2, running on Qt %3.&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Spyglass %1&lt;/h3&gt;&lt;p&gt;一个拦截 HTTPS 的代理：它记录应用程序与网络之间的每一次交换，并使用自有证书颁发机构签发的证书解密 TLS。&lt;/p&gt;&lt;p&gt;使用 Qt %2 构建，运行于 Qt %3。&lt;/p&gt;</translation>
        </message>
        <message>
            <source>About Spyglass</source>
            <translation>关于 Spyglass</translation>
        </message>
        <message>
            <source>Proxy</source>
            <translation>代理</translation>
        </message>
        <message>
            <source>Intercept filter, e.g. ~u /api &amp; ~m POST</source>
            <translation>拦截过滤器，例如 ~u /api &amp; ~m POST</translation>
        </message>
        <message>
            <source>Flows matching this filter are held at their request, their response and each WebSocket message while Intercept is on. Press Enter to apply.</source>
            <translation>拦截开启时，匹配此过滤器的流会在请求、响应及每条 WebSocket 消息处暂停。按 Enter 应用。</translation>
        </message>
        <message>
            <source>Intercept</source>
            <translation>拦截</translation>
        </message>
        <message>
            <source>Flows matching this filter are held while Intercept is on. Press Enter to apply.</source>
            <translation>拦截开启时，匹配此过滤器的流会被暂停。按 Enter 应用。</translation>
        </message>
        <message>
            <source>Flows by host and path; select a resource to see its latest flow</source>
            <translation>按主机和路径分组的流；选择一个资源以查看其最新的流</translation>
        </message>
        <message>
            <source>Sequence</source>
            <translation>序列</translation>
        </message>
        <message>
            <source>Structure</source>
            <translation>结构</translation>
        </message>
        <message>
            <source>Every flow in order, filtered and sorted</source>
            <translation>按顺序显示所有流，可过滤和排序</translation>
        </message>
        <message>
            <source>Flows grouped by host and path</source>
            <translation>按主机和路径分组的流</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 / %2</translation>
        </message>
        <message>
            <source>%1 flows</source>
            <translation>%1 个流</translation>
        </message>
        <message>
            <source>Filtering %p%</source>
            <translation>正在过滤 %p%</translation>
        </message>
        <message>
            <source>Applying the filter; the list keeps the old rows until then</source>
            <translation>正在应用过滤器；在此之前列表保留原有的行</translation>
        </message>
        <message>
            <source>Start proxy</source>
            <translation>启动代理</translation>
        </message>
        <message>
            <source>&amp;Stop proxy</source>
            <translation>停止代理(&amp;S)</translation>
        </message>
        <message>
            <source>Listening on %1</source>
            <translation>正在监听 %1</translation>
        </message>
        <message>
            <source>Stopped (%1)</source>
            <translation>已停止（%1）</translation>
        </message>
        <message>
            <source>Proxy: %1</source>
            <translation>代理：%1</translation>
        </message>
        <message>
            <source>Proxy stopped</source>
            <translation>代理已停止</translation>
        </message>
        <message>
            <source>1 flow</source>
            <translation>1 个流</translation>
        </message>
        <message>
            <source>Grouping the flows by host and path…</source>
            <translation>正在按主机和路径对流分组…</translation>
        </message>
        <message>
            <source>Saved %1 flows to %2</source>
            <translation>已将 %1 个流保存到 %2</translation>
        </message>
        <message>
            <source>Open session</source>
            <translation>打开会话</translation>
        </message>
        <message>
            <source>Highlight, e.g. ~marked | ~c 500</source>
            <translation>高亮，例如 ~marked | ~c 500</translation>
        </message>
        <message>
            <source>&amp;Highlight:</source>
            <translation>高亮(&amp;H)：</translation>
        </message>
        <message>
            <source>Rows matching this expression get a yellow background; the filter still decides which rows are shown</source>
            <translation>匹配此表达式的行以黄色背景显示；显示哪些行仍由过滤器决定</translation>
        </message>
        <message>
            <source>Captures (*.spyglass *.har *.chlsj *.flow *.mitm *.dump);;Spyglass sessions (*.spyglass);;HAR (*.har);;Charles JSON sessions (*.chlsj);;mitmproxy flows (*.flow *.mitm *.dump);;All files (*)</source>
            <translation>抓包文件 (*.spyglass *.har *.chlsj *.flow *.mitm *.dump);;Spyglass 会话 (*.spyglass);;HAR (*.har);;Charles JSON 会话 (*.chlsj);;mitmproxy 流 (*.flow *.mitm *.dump);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Scripts</source>
            <translation>脚本</translation>
        </message>
        <message>
            <source>&amp;Scripts</source>
            <translation>脚本(&amp;S)</translation>
        </message>
        <message>
            <source>Show or hide the scripts the proxy runs, their hooks and errors (Ctrl+Shift+J)</source>
            <translation>显示或隐藏代理运行的脚本及其钩子和错误 (Ctrl+Shift+J)</translation>
        </message>
        <message>
            <source>&amp;Scripts…</source>
            <translation>脚本(&amp;S)…</translation>
        </message>
        <message>
            <source>Show the Scripts panel: load, reload and unload JavaScript addons</source>
            <translation>显示脚本面板：加载、重新加载和卸载 JavaScript 插件</translation>
        </message>
    </context>
    <context>
        <name>spyglass::MessageEditor</name>
        <message>
            <source>Name</source>
            <translation>名称</translation>
        </message>
        <message>
            <source>Value</source>
            <translation>值</translation>
        </message>
        <message>
            <source>File name</source>
            <translation>文件名</translation>
        </message>
        <message>
            <source>Content type</source>
            <translation>内容类型</translation>
        </message>
        <message>
            <source>The request method; type any other token</source>
            <translation>请求方法；也可输入其他任意记号</translation>
        </message>
        <message>
            <source>https://example.com/path?query</source>
            <translation>https://example.com/path?query</translation>
        </message>
        <message>
            <source>The absolute URL: scheme, host, port, path and query. A new host also goes into the Host header.</source>
            <translation>绝对 URL：协议、主机、端口、路径和查询。新的主机也会写入 Host 头。</translation>
        </message>
        <message>
            <source>The HTTP version</source>
            <translation>HTTP 版本</translation>
        </message>
        <message>
            <source>The status code</source>
            <translation>状态码</translation>
        </message>
        <message>
            <source>The reason phrase (HTTP/2 sends none)</source>
            <translation>原因短语（HTTP/2 不发送）</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>原因</translation>
        </message>
        <message>
            <source>Headers</source>
            <translation>头部</translation>
        </message>
        <message>
            <source>header</source>
            <translation>头部</translation>
        </message>
        <message>
            <source>Body</source>
            <translation>正文</translation>
        </message>
        <message>
            <source>Edit as:</source>
            <translation>编辑方式：</translation>
        </message>
        <message>
            <source>Text</source>
            <translation>文本</translation>
        </message>
        <message>
            <source>Form fields</source>
            <translation>表单字段</translation>
        </message>
        <message>
            <source>Multipart fields</source>
            <translation>Multipart 字段</translation>
        </message>
        <message>
            <source>Edit the body as raw text, as URL-encoded form fields, or as multipart/form-data parts</source>
            <translation>以原始文本、URL 编码的表单字段或 multipart/form-data 部分编辑正文</translation>
        </message>
        <message>
            <source>The body as UTF-8 text, decoded from its Content-Encoding</source>
            <translation>正文的 UTF-8 文本，已按其 Content-Encoding 解码</translation>
        </message>
        <message>
            <source>field</source>
            <translation>字段</translation>
        </message>
        <message>
            <source>Add</source>
            <translation>添加</translation>
        </message>
        <message>
            <source>Add a %1 below the selected row</source>
            <translation>在所选行下方添加%1</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>移除</translation>
        </message>
        <message>
            <source>Remove the selected rows</source>
            <translation>移除所选行</translation>
        </message>
        <message>
            <source>Up</source>
            <translation>上移</translation>
        </message>
        <message>
            <source>Move the selected row up</source>
            <translation>将所选行上移</translation>
        </message>
        <message>
            <source>Down</source>
            <translation>下移</translation>
        </message>
        <message>
            <source>Move the selected row down</source>
            <translation>将所选行下移</translation>
        </message>
        <message>
            <source>part</source>
            <translation>部分</translation>
        </message>
        <message>
            <source>The selected part's value</source>
            <translation>所选部分的值</translation>
        </message>
        <message>
            <source>The selected part's value, all of its lines</source>
            <translation>所选部分的值（全部行）</translation>
        </message>
        <message numerus="yes">
            <source>Streamed body (%n byte(s)): it was not recorded, so it cannot be edited.</source>
            <translation>
                <numerusform>流式正文（%n 字节）：未被记录，因此无法编辑。</numerusform>
            </translation>
        </message>
        <message>
            <source>Shown decoded from %1; encoded again when saved.</source>
            <translation>已从 %1 解码显示；保存时重新编码。</translation>
        </message>
        <message>
            <source>The body could not be decoded from %1: shown as sent, read-only.</source>
            <translation>无法从 %1 解码正文：按发送时的原样显示，只读。</translation>
        </message>
        <message>
            <source>The body is too large to edit here (%1 MiB); it is kept as it is.</source>
            <translation>正文过大，无法在此编辑（%1 MiB）；将保持原样。</translation>
        </message>
        <message numerus="yes">
            <source>Binary body (%n byte(s)): shown as hex and kept as it is; a form can be edited as multipart fields.</source>
            <translation>
                <numerusform>二进制正文（%n 字节）：以十六进制显示并保持原样；表单可作为 multipart 字段编辑。</numerusform>
            </translation>
        </message>
        <message>
            <source>The body cannot be encoded with "%1": remove or change the Content-Encoding header.</source>
            <translation>无法用“%1”编码正文：请移除或修改 Content-Encoding 头。</translation>
        </message>
        <message>
            <source>"%1" is not a request method.</source>
            <translation>“%1”不是请求方法。</translation>
        </message>
        <message>
            <source>"%1" is not an absolute http or https URL.</source>
            <translation>“%1”不是绝对的 http 或 https URL。</translation>
        </message>
    </context>
    <context>
        <name>spyglass::MessageView</name>
        <message>
            <source>streamed, %1, not recorded</source>
            <translation>已流式传输，%1，未记录</translation>
        </message>
        <message>
            <source>no body</source>
            <translation>无正文</translation>
        </message>
        <message>
            <source>%1, decoded from %2 (%3)</source>
            <translation>%1，由 %2 解码（%3）</translation>
        </message>
        <message>
            <source>%1 as received: %2 could not be decoded</source>
            <translation>%1（原样）：无法解码 %2</translation>
        </message>
    </context>
    <context>
        <name>spyglass::MessagesModel</name>
        <message>
            <source>↑ sent</source>
            <translation>↑ 已发送</translation>
        </message>
        <message>
            <source>↓ received</source>
            <translation>↓ 已接收</translation>
        </message>
        <message>
            <source>bytes</source>
            <translation>字节</translation>
        </message>
        <message>
            <source>text</source>
            <translation>文本</translation>
        </message>
        <message>
            <source>binary</source>
            <translation>二进制</translation>
        </message>
        <message>
            <source>, injected</source>
            <translation>，已注入</translation>
        </message>
        <message>
            <source>, dropped</source>
            <translation>，已丢弃</translation>
        </message>
        <message>
            <source>Sent by the client to the server</source>
            <translation>由客户端发送给服务器</translation>
        </message>
        <message>
            <source>Sent by the server to the client</source>
            <translation>由服务器发送给客户端</translation>
        </message>
        <message>
            <source>Direction</source>
            <translation>方向</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>时间</translation>
        </message>
        <message>
            <source>Size</source>
            <translation>大小</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>类型</translation>
        </message>
        <message>
            <source>Content</source>
            <translation>内容</translation>
        </message>
    </context>
    <context>
        <name>spyglass::MessagesView</name>
        <message>
            <source>normal</source>
            <translation>正常</translation>
        </message>
        <message>
            <source>going away</source>
            <translation>对端离开</translation>
        </message>
        <message>
            <source>protocol error</source>
            <translation>协议错误</translation>
        </message>
        <message>
            <source>unsupported data</source>
            <translation>不支持的数据</translation>
        </message>
        <message>
            <source>no close frame</source>
            <translation>无关闭帧</translation>
        </message>
        <message>
            <source>invalid data</source>
            <translation>无效数据</translation>
        </message>
        <message>
            <source>policy violation</source>
            <translation>违反策略</translation>
        </message>
        <message>
            <source>message too big</source>
            <translation>消息过大</translation>
        </message>
        <message>
            <source>server error</source>
            <translation>服务器错误</translation>
        </message>
        <message>
            <source>Filter messages by content</source>
            <translation>按内容过滤消息</translation>
        </message>
        <message>
            <source>Shows only the messages that contain this text (case-insensitive)</source>
            <translation>仅显示包含此文本的消息（不区分大小写）</translation>
        </message>
        <message numerus="yes">
            <source>%n message(s)</source>
            <translation>
                <numerusform>%n 条消息</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%1 of %n message(s)</source>
            <translation>
                <numerusform>%1 / %n 条消息</numerusform>
            </translation>
        </message>
        <message>
            <source>closed by the client</source>
            <translation>由客户端关闭</translation>
        </message>
        <message>
            <source>closed by the server</source>
            <translation>由服务器关闭</translation>
        </message>
        <message>
            <source>%1 sent, %2 received</source>
            <translation>已发送 %1，已接收 %2</translation>
        </message>
        <message>
            <source>Select a message</source>
            <translation>选择一条消息</translation>
        </message>
        <message>
            <source>No messages</source>
            <translation>没有消息</translation>
        </message>
    </context>
    <context>
        <name>spyglass::OptionsDialog</name>
        <message>
            <source>Network</source>
            <translation>网络</translation>
        </message>
        <message>
            <source>Connections</source>
            <translation>连接</translation>
        </message>
        <message>
            <source>TLS</source>
            <translation>TLS</translation>
        </message>
        <message>
            <source>HTTP</source>
            <translation>HTTP</translation>
        </message>
        <message>
            <source>Intercept</source>
            <translation>拦截</translation>
        </message>
        <message>
            <source>Addons</source>
            <translation>插件</translation>
        </message>
        <message>
            <source>Other</source>
            <translation>其他</translation>
        </message>
        <message>
            <source>Preferences</source>
            <translation>首选项</translation>
        </message>
        <message>
            <source>Search options by name or description</source>
            <translation>按名称或描述搜索选项</translation>
        </message>
        <message>
            <source>Shows only the options whose name or description contains the text</source>
            <translation>仅显示名称或描述包含此文本的选项</translation>
        </message>
        <message>
            <source>Apply the changes and close</source>
            <translation>应用更改并关闭</translation>
        </message>
        <message>
            <source>Apply the changes: at once where the running proxy allows it, else when it next starts</source>
            <translation>应用更改：运行中的代理允许时立即生效，否则在下次启动时生效</translation>
        </message>
        <message>
            <source>Close without applying</source>
            <translation>关闭而不应用</translation>
        </message>
        <message>
            <source>Put every option back to its default (applied with Apply or OK)</source>
            <translation>将所有选项恢复为默认值（点击“应用”或“确定”后生效）</translation>
        </message>
        <message>
            <source>Add an entry</source>
            <translation>添加条目</translation>
        </message>
        <message>
            <source>Remove the selected entry</source>
            <translation>移除所选条目</translation>
        </message>
        <message>
            <source>On</source>
            <translation>开启</translation>
        </message>
        <message>
            <source>e.g. 512k, 10m, 1g; empty: no limit</source>
            <translation>例如 512k、10m、1g；留空：不限制</translation>
        </message>
        <message>
            <source>(Applies when the proxy next starts.)</source>
            <translation>（下次启动代理时生效。）</translation>
        </message>
        <message>
            <source>Defaults shown; Apply or OK applies them.</source>
            <translation>已显示默认值；点击“应用”或“确定”生效。</translation>
        </message>
        <message>
            <source>Not applied: %1</source>
            <translation>未应用：%1</translation>
        </message>
        <message>
            <source>Nothing changed.</source>
            <translation>没有更改。</translation>
        </message>
        <message>
            <source>Applied and saved.</source>
            <translation>已应用并保存。</translation>
        </message>
        <message>
            <source>Saved. These apply when the proxy next starts: %1</source>
            <translation>已保存。以下选项将在下次启动代理时生效：%1</translation>
        </message>
    </context>
    <context>
        <name>spyglass::ProxyTools</name>
        <message>
            <source>&amp;Certificate wizard…</source>
            <translation>证书向导(&amp;C)…</translation>
        </message>
        <message>
            <source>Show the Spyglass certificate authority, install it into the system and browser trust stores, export it, check it</source>
            <translation>查看 Spyglass 证书颁发机构，将其安装到系统和浏览器的信任存储、导出并检查</translation>
        </message>
        <message>
            <source>Open &amp;browser</source>
            <translation>打开浏览器(&amp;B)</translation>
        </message>
        <message>
            <source>Start Chromium, Chrome or Firefox with a fresh profile that uses this proxy and trusts its certificates (Ctrl+Shift+B)</source>
            <translation>以使用此代理并信任其证书的全新配置文件启动 Chromium、Chrome 或 Firefox (Ctrl+Shift+B)</translation>
        </message>
        <message>
            <source>S&amp;ystem proxy</source>
            <translation>系统代理(&amp;Y)</translation>
        </message>
        <message>
            <source>System proxy</source>
            <translation>系统代理</translation>
        </message>
        <message>
            <source>The system proxy setting of an earlier run could not be restored: %1</source>
            <translation>无法恢复先前运行时的系统代理设置：%1</translation>
        </message>
        <message>
            <source>The system proxy cannot be set here: %1</source>
            <translation>此处无法设置系统代理：%1</translation>
        </message>
        <message>
            <source>Point the operating system's proxy setting at Spyglass; the previous setting comes back when this is turned off or Spyglass quits</source>
            <translation>将操作系统的代理设置指向 Spyglass；关闭此项或退出 Spyglass 时恢复之前的设置</translation>
        </message>
        <message>
            <source>&amp;Tools</source>
            <translation>工具(&amp;T)</translation>
        </message>
        <message>
            <source>No Chromium, Chrome or Firefox found</source>
            <translation>未找到 Chromium、Chrome 或 Firefox</translation>
        </message>
        <message>
            <source>Open browser</source>
            <translation>打开浏览器</translation>
        </message>
        <message>
            <source>Start the proxy first.</source>
            <translation>请先启动代理。</translation>
        </message>
        <message>
            <source>No Chromium, Chrome or Firefox was found. Point any browser at the proxy %1:%2 and open http://spyglass.proxy/ to install the certificate.</source>
            <translation>未找到 Chromium、Chrome 或 Firefox。请将任意浏览器的代理设为 %1:%2，并打开 http://spyglass.proxy/ 安装证书。</translation>
        </message>
    </context>
    <context>
        <name>spyglass::RecentFiles</name>
        <message>
            <source>Open &amp;Recent</source>
            <translation>最近打开(&amp;R)</translation>
        </message>
        <message>
            <source>No recent files</source>
            <translation>没有最近的文件</translation>
        </message>
        <message>
            <source>&amp;Clear menu</source>
            <translation>清除菜单(&amp;C)</translation>
        </message>
        <message>
            <source>Forget the recently used files</source>
            <translation>清除最近使用的文件记录</translation>
        </message>
    </context>
    <context>
        <name>spyglass::ScriptListModel</name>
        <message>
            <source>Running</source>
            <translation>运行中</translation>
        </message>
        <message>
            <source>Error</source>
            <translation>错误</translation>
        </message>
        <message>
            <source>Unloaded</source>
            <translation>已卸载</translation>
        </message>
        <message>
            <source>line %1</source>
            <translation>第 %1 行</translation>
        </message>
        <message>
            <source>The script is loaded and runs its hooks; it reloads when the file changes</source>
            <translation>脚本已加载并运行其钩子；文件更改时会自动重新加载</translation>
        </message>
        <message>
            <source>The script reported an error: a hook threw or ran too long, or a (re)load failed (after a failed reload the previous version keeps running)</source>
            <translation>脚本报告了错误：某个钩子抛出异常或运行时间过长，或（重新）加载失败（重新加载失败后，先前的版本会继续运行）</translation>
        </message>
        <message>
            <source>The script does not run; Reload loads it again</source>
            <translation>脚本未运行；“重新加载”可再次加载它</translation>
        </message>
        <message>
            <source>The hook functions the script defines</source>
            <translation>脚本定义的钩子函数</translation>
        </message>
        <message>
            <source>Script</source>
            <translation>脚本</translation>
        </message>
        <message>
            <source>State</source>
            <translation>状态</translation>
        </message>
        <message>
            <source>Hooks</source>
            <translation>钩子</translation>
        </message>
        <message>
            <source>Last error</source>
            <translation>最近的错误</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>正在加载…</translation>
        </message>
        <message>
            <source>The script is being read, compiled and started; the window stays usable meanwhile</source>
            <translation>正在读取、编译并启动脚本；在此期间窗口仍可正常使用</translation>
        </message>
        <message>
            <source>The script could not be loaded and does not run: Reload tries again, Unload removes the row</source>
            <translation>无法加载脚本，脚本未运行：“重新加载”会再试一次，“卸载”会移除该行</translation>
        </message>
    </context>
    <context>
        <name>spyglass::ScriptsPanel</name>
        <message>
            <source>&amp;Add script…</source>
            <translation>添加脚本(&amp;A)…</translation>
        </message>
        <message>
            <source>Load a JavaScript file into the running proxy; it reloads whenever the file changes</source>
            <translation>将 JavaScript 文件加载到正在运行的代理中；每当文件更改时都会重新加载</translation>
        </message>
        <message>
            <source>&amp;Reload</source>
            <translation>重新加载(&amp;R)</translation>
        </message>
        <message>
            <source>Load the selected scripts again from their files (an unloaded script starts again)</source>
            <translation>从文件重新加载所选脚本（已卸载的脚本会重新启动）</translation>
        </message>
        <message>
            <source>&amp;Unload</source>
            <translation>卸载(&amp;U)</translation>
        </message>
        <message>
            <source>Stop the selected scripts: their hooks no longer run and their files are no longer watched, until Reload</source>
            <translation>停止所选脚本：在“重新加载”之前，其钩子不再运行，其文件也不再被监视</translation>
        </message>
        <message>
            <source>The scripts the proxy runs</source>
            <translation>代理运行的脚本</translation>
        </message>
        <message>
            <source>The selected script's file and its last error; the text can be selected and copied, FILE:LINE opens the file</source>
            <translation>所选脚本的文件及其最近的错误；文本可选择和复制，点击“文件:行号”可打开该文件</translation>
        </message>
        <message>
            <source>Add script</source>
            <translation>添加脚本</translation>
        </message>
        <message>
            <source>JavaScript files (*.js *.mjs);;All files (*)</source>
            <translation>JavaScript 文件 (*.js *.mjs);;所有文件 (*)</translation>
        </message>
        <message>
            <source>No scripts are loaded. Add one with &lt;i&gt;Add script…&lt;/i&gt;, or start Spyglass with &lt;tt&gt;-s FILE&lt;/tt&gt;.</source>
            <translation>未加载任何脚本。请通过&lt;i&gt;添加脚本…&lt;/i&gt;添加，或使用 &lt;tt&gt;-s 文件&lt;/tt&gt; 启动 Spyglass。</translation>
        </message>
        <message>
            <source>Select a script to see its file and its last error.</source>
            <translation>选择一个脚本以查看其文件和最近的错误。</translation>
        </message>
        <message>
            <source>File:</source>
            <translation>文件：</translation>
        </message>
        <message>
            <source>Last error:</source>
            <translation>最近的错误：</translation>
        </message>
        <message>
            <source>Loading: reading, compiling and starting the script…</source>
            <translation>正在加载：读取、编译并启动脚本…</translation>
        </message>
    </context>
    <context>
        <name>spyglass::StatusBarMonitor</name>
        <message>
            <source>Flows finished in the last second, and the bytes of their request and response bodies</source>
            <translation>最近一秒内完成的流及其请求和响应正文的字节数</translation>
        </message>
        <message>
            <source>%1 flows/s, %2/s</source>
            <translation>%1 个流/秒，%2/秒</translation>
        </message>
        <message>
            <source>Memory this process holds (resident set size)</source>
            <translation>此进程占用的内存（常驻集大小）</translation>
        </message>
        <message>
            <source>Memory: %1</source>
            <translation>内存：%1</translation>
        </message>
    </context>
    <context>
        <name>spyglass::SystemProxy</name>
        <message>
            <source>networksetup was not found</source>
            <translation>未找到 networksetup</translation>
        </message>
        <message>
            <source>gsettings was not found: only GNOME's proxy setting (and desktops that read it) can be changed from here</source>
            <translation>未找到 gsettings：此处只能更改 GNOME 的代理设置（以及读取该设置的桌面环境）</translation>
        </message>
        <message>
            <source>the GNOME proxy settings (org.gnome.system.proxy) are not available or not writable</source>
            <translation>GNOME 代理设置（org.gnome.system.proxy）不可用或不可写</translation>
        </message>
        <message>
            <source>%1 did not finish: %2</source>
            <translation>%1 未完成：%2</translation>
        </message>
        <message>
            <source>%1 %2 failed: %3</source>
            <translation>%1 %2 失败：%3</translation>
        </message>
        <message>
            <source>InternetQueryOption failed (error %1)</source>
            <translation>InternetQueryOption 失败（错误 %1）</translation>
        </message>
        <message>
            <source>WinINet exists only on Windows</source>
            <translation>WinINet 仅存在于 Windows</translation>
        </message>
        <message>
            <source>InternetSetOption failed (error %1)</source>
            <translation>InternetSetOption 失败（错误 %1）</translation>
        </message>
        <message>
            <source>cannot write %1: %2</source>
            <translation>无法写入 %1：%2</translation>
        </message>
        <message>
            <source>the saved proxy setting (%1) cannot be restored here</source>
            <translation>此处无法恢复已保存的代理设置（%1）</translation>
        </message>
        <message>
            <source>cannot read %1: %2</source>
            <translation>无法读取 %1：%2</translation>
        </message>
        <message>
            <source>%1 is damaged (%2); it was left in place</source>
            <translation>%1 已损坏（%2）；已保留原文件</translation>
        </message>
    </context>
    <context>
        <name>spyglass::Theme</name>
        <message>
            <source>&amp;Theme</source>
            <translation>主题(&amp;T)</translation>
        </message>
        <message>
            <source>&amp;System</source>
            <translation>跟随系统(&amp;S)</translation>
        </message>
        <message>
            <source>&amp;Light</source>
            <translation>浅色(&amp;L)</translation>
        </message>
        <message>
            <source>&amp;Dark</source>
            <translation>深色(&amp;D)</translation>
        </message>
        <message>
            <source>Light or dark as the desktop is set</source>
            <translation>跟随桌面设置使用浅色或深色</translation>
        </message>
    </context>
    <context>
        <name>spyglass::TimingView</name>
        <message>
            <source>%1 µs</source>
            <translation>%1 微秒</translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 毫秒</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 秒</translation>
        </message>
        <message>
            <source>Client connected</source>
            <translation>客户端已连接</translation>
        </message>
        <message>
            <source>Client TLS handshake</source>
            <translation>客户端 TLS 握手</translation>
        </message>
        <message>
            <source>Server TCP connect</source>
            <translation>服务器 TCP 连接</translation>
        </message>
        <message>
            <source>Server TLS handshake</source>
            <translation>服务器 TLS 握手</translation>
        </message>
        <message>
            <source>Request sent</source>
            <translation>请求已发送</translation>
        </message>
        <message>
            <source>Waiting for the response</source>
            <translation>正在等待响应</translation>
        </message>
        <message>
            <source>Response received</source>
            <translation>已收到响应</translation>
        </message>
        <message>
            <source>WebSocket open</source>
            <translation>WebSocket 已打开</translation>
        </message>
        <message>
            <source>TCP stream</source>
            <translation>TCP 流</translation>
        </message>
        <message>
            <source>Error: %1</source>
            <translation>错误：%1</translation>
        </message>
        <message>
            <source>No timing recorded for this flow.</source>
            <translation>此流没有记录时间信息。</translation>
        </message>
        <message>
            <source>total %1</source>
            <translation>共 %1</translation>
        </message>
    </context>
    <context>
        <name>spyglass::TrustCheck</name>
        <message>
            <source>%1 answered HTTP %2 over a verified TLS connection</source>
            <translation>%1 通过已验证的 TLS 连接返回了 HTTP %2</translation>
        </message>
        <message>
            <source>%1 answered over a verified TLS connection (%2)</source>
            <translation>%1 通过已验证的 TLS 连接作出应答（%2）</translation>
        </message>
    </context>
</TS>
