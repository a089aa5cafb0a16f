<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
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
        <name>spyglass::FilterBar</name>
        <message>
            <source>Filter, e.g. ~m POST &amp; !~c 200 or ~d example.com</source>
            <translation>过滤，例如 ~m POST &amp; !~c 200 或 ~d example.com</translation>
        </message>
        <message>
            <source>Filter expressions: ! (not), &amp; (and), | (or), ( ). Operators:</source>
            <translation>过滤表达式：!（非）、&amp;（与）、|（或）、( )。运算符：</translation>
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
            <source>Spyglass sessions (*.spyglass);;All files (*)</source>
            <translation>Spyglass 会话 (*.spyglass);;所有文件 (*)</translation>
        </message>
        <message>
            <source>Spyglass sessions (*.spyglass)</source>
            <translation>Spyglass 会话 (*.spyglass)</translation>
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
</TS>
