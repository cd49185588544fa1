/*
 * The code extractor's table of agent frameworks, MCP SDKs and model SDKs: which calls
 * create an MCP server, an MCP client, an agent or a model client, where their name, model,
 * tools and credential are passed, and which environment variable an SDK reads when the code
 * passes no credential.
 *
 * A callee matches an entry when it ends with the entry's callee at a '.' boundary, so
 * "openai.OpenAI" and "OpenAI" both match "OpenAI". Generic names such as Agent or Server also
 * need an import of their package in the file ("requires"); the first matching entry wins, so
 * the entries with a "requires" come before the generic ones of the same name. Default
 * variables are listed only where the SDK documents that it reads them.
 */
#include "extract/code_internal.h"

#include <string.h>
#include <strings.h>

#define PY CODE_FAMILY_PYTHON
#define JS CODE_FAMILY_JS
#define GO CODE_FAMILY_GO
#define JAVA CODE_FAMILY_JAVA
#define RUBY CODE_FAMILY_RUBY
#define BASH CODE_FAMILY_BASH

#define SERVER CODE_MCP_SERVER
#define CLIENT CODE_MCP_CLIENT
#define AGENT CODE_AGENT
#define MODEL CODE_MODEL_CLIENT

static const struct code_sdk sdk_table[] = {
	/* MCP servers. */
	{ .callee = "FastMCP", .families = PY, .kind = SERVER, .framework = "fastmcp", .name_arg = 1 },
	/* Only the imported name: uvicorn.Server(config) in the same file is no MCP server. */
	{ .callee = "Server", .families = PY, .requires = "mcp.server.lowlevel|from mcp.server import", .kind = SERVER, .framework = "mcp-python-lowlevel", .name_arg = 1, .flags = CODE_SDK_EXACT },
	{ .callee = "lowlevel.Server", .families = PY, .kind = SERVER, .framework = "mcp-python-lowlevel", .name_arg = 1 },
	{ .callee = "McpServer", .families = JS, .kind = SERVER, .framework = "mcp-typescript" },
	{ .callee = "Server", .families = JS, .requires = "@modelcontextprotocol/sdk/server", .kind = SERVER, .framework = "mcp-typescript-lowlevel" },
	{ .callee = "server.NewMCPServer", .families = GO, .kind = SERVER, .framework = "mcp-go", .name_arg = 1 },
	{ .callee = "mcp.NewServer", .families = GO, .kind = SERVER, .framework = "mcp-go-sdk" },
	{ .callee = "McpServer.sync", .families = JAVA, .kind = SERVER, .framework = "mcp-java", .flags = CODE_SDK_CHAIN },
	{ .callee = "McpServer.async", .families = JAVA, .kind = SERVER, .framework = "mcp-java", .flags = CODE_SDK_CHAIN },
	{ .callee = "MCP.Server.new", .families = RUBY, .kind = SERVER, .framework = "mcp-ruby" },

	/* MCP clients: the object that contains the command or the URL of a server. */
	{ .callee = "StdioServerParameters", .families = PY, .kind = CLIENT, .framework = "mcp-python", .transport = "stdio" },
	{ .callee = "streamablehttp_client", .families = PY, .kind = CLIENT, .framework = "mcp-python", .transport = "streamable-http", .url_arg = 1 },
	{ .callee = "sse_client", .families = PY, .kind = CLIENT, .framework = "mcp-python", .transport = "sse", .url_arg = 1 },
	{ .callee = "websocket_client", .families = PY, .kind = CLIENT, .framework = "mcp-python", .transport = "websocket", .url_arg = 1 },
	{ .callee = "Client", .families = PY, .requires = "fastmcp", .kind = CLIENT, .framework = "fastmcp", .url_arg = 1 },
	{ .callee = "MCPServerStdio", .families = PY | JS, .kind = CLIENT, .framework = "openai-agents", .transport = "stdio" },
	{ .callee = "MCPServerStreamableHttp", .families = PY | JS, .kind = CLIENT, .framework = "openai-agents", .transport = "streamable-http" },
	{ .callee = "MCPServerSse", .families = PY | JS, .kind = CLIENT, .framework = "openai-agents", .transport = "sse" },
	{ .callee = "MultiServerMCPClient", .families = PY, .kind = CLIENT, .framework = "langchain-mcp-adapters", .flags = CODE_SDK_MULTI },
	{ .callee = "StdioClientTransport", .families = JS, .kind = CLIENT, .framework = "mcp-typescript", .transport = "stdio" },
	{ .callee = "StreamableHTTPClientTransport", .families = JS, .kind = CLIENT, .framework = "mcp-typescript", .transport = "streamable-http", .url_arg = 1 },
	{ .callee = "SSEClientTransport", .families = JS, .kind = CLIENT, .framework = "mcp-typescript", .transport = "sse", .url_arg = 1 },
	{ .callee = "WebSocketClientTransport", .families = JS, .kind = CLIENT, .framework = "mcp-typescript", .transport = "websocket", .url_arg = 1 },
	{ .callee = "experimental_createMCPClient", .families = JS, .kind = CLIENT, .framework = "ai-sdk" },
	{ .callee = "createMCPClient", .families = JS, .kind = CLIENT, .framework = "ai-sdk" },
	{ .callee = "client.NewStdioMCPClient", .families = GO, .kind = CLIENT, .framework = "mcp-go", .transport = "stdio", .command_arg = 1, .args_arg = 3 },
	{ .callee = "client.NewStreamableHttpClient", .families = GO, .kind = CLIENT, .framework = "mcp-go", .transport = "streamable-http", .url_arg = 1 },
	{ .callee = "client.NewSSEMCPClient", .families = GO, .kind = CLIENT, .framework = "mcp-go", .transport = "sse", .url_arg = 1 },
	{ .callee = "mcp.CommandTransport", .families = GO, .kind = CLIENT, .framework = "mcp-go-sdk", .transport = "stdio" },
	{ .callee = "mcp.StreamableClientTransport", .families = GO, .kind = CLIENT, .framework = "mcp-go-sdk", .transport = "streamable-http" },
	{ .callee = "mcp.SSEClientTransport", .families = GO, .kind = CLIENT, .framework = "mcp-go-sdk", .transport = "sse" },
	{ .callee = "ServerParameters.builder", .families = JAVA, .kind = CLIENT, .framework = "mcp-java", .transport = "stdio", .command_arg = 1, .flags = CODE_SDK_CHAIN },
	{ .callee = "HttpClientSseClientTransport.builder", .families = JAVA, .kind = CLIENT, .framework = "mcp-java", .transport = "sse", .url_arg = 1, .flags = CODE_SDK_CHAIN },
	{ .callee = "HttpClientSseClientTransport", .families = JAVA, .kind = CLIENT, .framework = "mcp-java", .transport = "sse", .url_arg = 1 },
	{ .callee = "HttpClientStreamableHttpTransport.builder", .families = JAVA, .kind = CLIENT, .framework = "mcp-java", .transport = "streamable-http", .url_arg = 1, .flags = CODE_SDK_CHAIN },
	{ .callee = "MCPClient.stdio_config", .families = RUBY, .kind = CLIENT, .framework = "ruby-mcp-client", .transport = "stdio" },
	{ .callee = "MCPClient.sse_config", .families = RUBY, .kind = CLIENT, .framework = "ruby-mcp-client", .transport = "sse" },
	{ .callee = "MCPClient.http_config", .families = RUBY, .kind = CLIENT, .framework = "ruby-mcp-client", .transport = "streamable-http" },
	{ .callee = "MCP.Client.HTTP.new", .families = RUBY, .kind = CLIENT, .framework = "mcp-ruby", .transport = "streamable-http" },
	{ .callee = "claude", .families = BASH, .kind = CLIENT, .framework = "claude-code", .flags = CODE_SDK_CLI_MCP | CODE_SDK_CLI_AGENT },
	{ .callee = "codex", .families = BASH, .kind = CLIENT, .framework = "codex", .flags = CODE_SDK_CLI_MCP | CODE_SDK_CLI_AGENT },
	{ .callee = "gemini", .families = BASH, .kind = CLIENT, .framework = "gemini-cli", .flags = CODE_SDK_CLI_MCP | CODE_SDK_CLI_AGENT },

	/* Agents. */
	{ .callee = "Agent", .families = PY, .requires = "crewai", .kind = AGENT, .framework = "crewai" },
	{ .callee = "Agent", .families = PY, .requires = "google.adk", .kind = AGENT, .framework = "google-adk" },
	{ .callee = "Agent", .families = PY, .requires = "pydantic_ai", .kind = AGENT, .framework = "pydantic-ai", .model_arg = 1 },
	{ .callee = "Agent", .families = PY, .requires = "from agents", .kind = AGENT, .framework = "openai-agents", .provider = "openai", .default_env = "OPENAI_API_KEY" },
	{ .callee = "create_react_agent", .families = PY, .kind = AGENT, .framework = "langgraph", .model_arg = 1, .tools_arg = 2 },
	{ .callee = "create_agent", .families = PY, .requires = "langchain", .kind = AGENT, .framework = "langchain", .model_arg = 1, .tools_arg = 2 },
	{ .callee = "initialize_agent", .families = PY, .kind = AGENT, .framework = "langchain", .tools_arg = 1, .model_arg = 2 },
	{ .callee = "create_tool_calling_agent", .families = PY, .kind = AGENT, .framework = "langchain", .model_arg = 1, .tools_arg = 2 },
	{ .callee = "create_openai_functions_agent", .families = PY, .kind = AGENT, .framework = "langchain", .model_arg = 1, .tools_arg = 2 },
	{ .callee = "AgentExecutor", .families = PY, .kind = AGENT, .framework = "langchain" },
	{ .callee = "AssistantAgent", .families = PY, .requires = "autogen", .kind = AGENT, .framework = "autogen", .name_arg = 1 },
	{ .callee = "ConversableAgent", .families = PY, .requires = "autogen", .kind = AGENT, .framework = "autogen", .name_arg = 1 },
	{ .callee = "FunctionAgent", .families = PY, .requires = "llama_index", .kind = AGENT, .framework = "llamaindex" },
	{ .callee = "ReActAgent", .families = PY, .requires = "llama_index", .kind = AGENT, .framework = "llamaindex" },
	{ .callee = "ReActAgent.from_tools", .families = PY, .requires = "llama_index", .kind = AGENT, .framework = "llamaindex", .tools_arg = 1 },
	{ .callee = "OpenAIAgent.from_tools", .families = PY, .requires = "llama_index", .kind = AGENT, .framework = "llamaindex", .provider = "openai", .tools_arg = 1 },
	{ .callee = "AgentWorkflow.from_tools_or_functions", .families = PY, .requires = "llama_index", .kind = AGENT, .framework = "llamaindex", .tools_arg = 1 },
	{ .callee = "ChatCompletionAgent", .families = PY, .requires = "semantic_kernel", .kind = AGENT, .framework = "semantic-kernel" },
	{ .callee = "Agent", .families = JS, .requires = "@openai/agents", .kind = AGENT, .framework = "openai-agents", .provider = "openai", .default_env = "OPENAI_API_KEY" },
	{ .callee = "Experimental_Agent", .families = JS, .kind = AGENT, .framework = "ai-sdk" },
	{ .callee = "ToolLoopAgent", .families = JS, .kind = AGENT, .framework = "ai-sdk" },
	{ .callee = "Agent", .families = JS, .requires = "from \"ai\"|from 'ai'", .kind = AGENT, .framework = "ai-sdk" },
	{ .callee = "generateText", .families = JS, .kind = AGENT, .framework = "ai-sdk" },
	{ .callee = "streamText", .families = JS, .kind = AGENT, .framework = "ai-sdk" },
	{ .callee = "generateObject", .families = JS, .kind = AGENT, .framework = "ai-sdk" },
	{ .callee = "streamObject", .families = JS, .kind = AGENT, .framework = "ai-sdk" },
	{ .callee = "createReactAgent", .families = JS, .kind = AGENT, .framework = "langgraph" },
	{ .callee = "createAgent", .families = JS, .requires = "langchain", .kind = AGENT, .framework = "langchain" },
	{ .callee = "agents.NewOneShotAgent", .families = GO, .kind = AGENT, .framework = "langchaingo", .model_arg = 1, .tools_arg = 2 },
	{ .callee = "agents.NewConversationalAgent", .families = GO, .kind = AGENT, .framework = "langchaingo", .model_arg = 1, .tools_arg = 2 },
	{ .callee = "llmagent.New", .families = GO, .kind = AGENT, .framework = "google-adk" },
	{ .callee = "AiServices.builder", .families = JAVA, .kind = AGENT, .framework = "langchain4j", .flags = CODE_SDK_CHAIN },
	{ .callee = "AiServices.create", .families = JAVA, .kind = AGENT, .framework = "langchain4j", .model_arg = 2 },
	{ .callee = "LlmAgent.builder", .families = JAVA, .kind = AGENT, .framework = "google-adk", .flags = CODE_SDK_CHAIN },
	{ .callee = "ChatCompletionAgent.builder", .families = JAVA, .requires = "semantickernel", .kind = AGENT, .framework = "semantic-kernel", .flags = CODE_SDK_CHAIN },
	{ .callee = "Langchain.Assistant.new", .families = RUBY, .kind = AGENT, .framework = "langchainrb" },

	/* Model SDK clients. */
	{ .callee = "AzureOpenAI", .families = PY | JS, .kind = MODEL, .framework = "openai", .provider = "azure-openai", .default_env = "AZURE_OPENAI_API_KEY" },
	{ .callee = "AsyncAzureOpenAI", .families = PY, .kind = MODEL, .framework = "openai", .provider = "azure-openai", .default_env = "AZURE_OPENAI_API_KEY" },
	{ .callee = "OpenAI", .families = PY | JS, .kind = MODEL, .framework = "openai", .provider = "openai", .default_env = "OPENAI_API_KEY" },
	{ .callee = "AsyncOpenAI", .families = PY, .kind = MODEL, .framework = "openai", .provider = "openai", .default_env = "OPENAI_API_KEY" },
	{ .callee = "Anthropic", .families = PY | JS, .kind = MODEL, .framework = "anthropic", .provider = "anthropic", .default_env = "ANTHROPIC_API_KEY" },
	{ .callee = "AsyncAnthropic", .families = PY, .kind = MODEL, .framework = "anthropic", .provider = "anthropic", .default_env = "ANTHROPIC_API_KEY" },
	{ .callee = "genai.Client", .families = PY, .kind = MODEL, .framework = "google-genai", .provider = "google" },
	{ .callee = "genai.configure", .families = PY, .kind = MODEL, .framework = "google-generativeai", .provider = "google" },
	{ .callee = "GoogleGenAI", .families = JS, .kind = MODEL, .framework = "google-genai", .provider = "google" },
	{ .callee = "GoogleGenerativeAI", .families = JS, .kind = MODEL, .framework = "google-generativeai", .provider = "google", .credential_arg = 1 },
	{ .callee = "Mistral", .families = PY | JS, .requires = "mistral", .kind = MODEL, .framework = "mistral", .provider = "mistral", .default_env = "MISTRAL_API_KEY" },
	{ .callee = "Groq", .families = PY | JS, .kind = MODEL, .framework = "groq", .provider = "groq", .default_env = "GROQ_API_KEY" },
	{ .callee = "cohere.Client", .families = PY, .kind = MODEL, .framework = "cohere", .provider = "cohere", .credential_arg = 1 },
	{ .callee = "cohere.ClientV2", .families = PY, .kind = MODEL, .framework = "cohere", .provider = "cohere", .credential_arg = 1 },
	{ .callee = "CohereClient", .families = JS, .kind = MODEL, .framework = "cohere", .provider = "cohere" },
	{ .callee = "ChatOpenAI", .families = PY | JS, .kind = MODEL, .framework = "langchain", .provider = "openai", .default_env = "OPENAI_API_KEY" },
	{ .callee = "AzureChatOpenAI", .families = PY | JS, .kind = MODEL, .framework = "langchain", .provider = "azure-openai", .default_env = "AZURE_OPENAI_API_KEY" },
	{ .callee = "ChatAnthropic", .families = PY | JS, .kind = MODEL, .framework = "langchain", .provider = "anthropic", .default_env = "ANTHROPIC_API_KEY" },
	{ .callee = "ChatGoogleGenerativeAI", .families = PY | JS, .kind = MODEL, .framework = "langchain", .provider = "google" },
	{ .callee = "ChatVertexAI", .families = PY | JS, .kind = MODEL, .framework = "langchain", .provider = "google-vertex" },
	{ .callee = "ChatBedrock", .families = PY | JS, .kind = MODEL, .framework = "langchain", .provider = "aws-bedrock" },
	{ .callee = "ChatMistralAI", .families = PY | JS, .kind = MODEL, .framework = "langchain", .provider = "mistral" },
	{ .callee = "ChatGroq", .families = PY | JS, .kind = MODEL, .framework = "langchain", .provider = "groq" },
	{ .callee = "ChatOllama", .families = PY | JS, .kind = MODEL, .framework = "langchain", .provider = "ollama" },
	{ .callee = "init_chat_model", .families = PY, .kind = MODEL, .framework = "langchain", .model_arg = 1 },
	{ .callee = "OpenAIChatCompletionClient", .families = PY, .kind = MODEL, .framework = "autogen", .provider = "openai", .default_env = "OPENAI_API_KEY" },
	{ .callee = "AnthropicChatCompletionClient", .families = PY, .kind = MODEL, .framework = "autogen", .provider = "anthropic", .default_env = "ANTHROPIC_API_KEY" },
	{ .callee = "OpenAIChatCompletion", .families = PY, .requires = "semantic_kernel", .kind = MODEL, .framework = "semantic-kernel", .provider = "openai", .default_env = "OPENAI_API_KEY" },
	{ .callee = "AzureChatCompletion", .families = PY, .requires = "semantic_kernel", .kind = MODEL, .framework = "semantic-kernel", .provider = "azure-openai" },
	{ .callee = "LLM", .families = PY, .requires = "crewai", .kind = MODEL, .framework = "crewai" },
	{ .callee = "createOpenAI", .families = JS, .kind = MODEL, .framework = "ai-sdk", .provider = "openai", .default_env = "OPENAI_API_KEY" },
	{ .callee = "createAnthropic", .families = JS, .kind = MODEL, .framework = "ai-sdk", .provider = "anthropic", .default_env = "ANTHROPIC_API_KEY" },
	{ .callee = "createGoogleGenerativeAI", .families = JS, .kind = MODEL, .framework = "ai-sdk", .provider = "google", .default_env = "GOOGLE_GENERATIVE_AI_API_KEY" },
	{ .callee = "createMistral", .families = JS, .kind = MODEL, .framework = "ai-sdk", .provider = "mistral", .default_env = "MISTRAL_API_KEY" },
	{ .callee = "openai.NewClient", .families = GO, .requires = "sashabaranov/go-openai", .kind = MODEL, .framework = "go-openai", .provider = "openai", .credential_arg = 1 },
	{ .callee = "openai.NewClient", .families = GO, .kind = MODEL, .framework = "openai-go", .provider = "openai", .default_env = "OPENAI_API_KEY" },
	{ .callee = "anthropic.NewClient", .families = GO, .kind = MODEL, .framework = "anthropic-sdk-go", .provider = "anthropic", .default_env = "ANTHROPIC_API_KEY" },
	{ .callee = "genai.NewClient", .families = GO, .kind = MODEL, .framework = "google-genai", .provider = "google" },
	{ .callee = "openai.New", .families = GO, .requires = "langchaingo", .kind = MODEL, .framework = "langchaingo", .provider = "openai", .default_env = "OPENAI_API_KEY" },
	{ .callee = "anthropic.New", .families = GO, .requires = "langchaingo", .kind = MODEL, .framework = "langchaingo", .provider = "anthropic", .default_env = "ANTHROPIC_API_KEY" },
	{ .callee = "OpenAIOkHttpClient.builder", .families = JAVA, .kind = MODEL, .framework = "openai-java", .provider = "openai", .flags = CODE_SDK_CHAIN },
	{ .callee = "OpenAIOkHttpClient.fromEnv", .families = JAVA, .kind = MODEL, .framework = "openai-java", .provider = "openai", .default_env = "OPENAI_API_KEY" },
	{ .callee = "AnthropicOkHttpClient.builder", .families = JAVA, .kind = MODEL, .framework = "anthropic-java", .provider = "anthropic", .flags = CODE_SDK_CHAIN },
	{ .callee = "AnthropicOkHttpClient.fromEnv", .families = JAVA, .kind = MODEL, .framework = "anthropic-java", .provider = "anthropic", .default_env = "ANTHROPIC_API_KEY" },
	{ .callee = "OpenAiChatModel.builder", .families = JAVA, .kind = MODEL, .framework = "langchain4j", .provider = "openai", .flags = CODE_SDK_CHAIN },
	{ .callee = "AnthropicChatModel.builder", .families = JAVA, .kind = MODEL, .framework = "langchain4j", .provider = "anthropic", .flags = CODE_SDK_CHAIN },
	{ .callee = "GoogleAiGeminiChatModel.builder", .families = JAVA, .kind = MODEL, .framework = "langchain4j", .provider = "google", .flags = CODE_SDK_CHAIN },
	{ .callee = "OllamaChatModel.builder", .families = JAVA, .kind = MODEL, .framework = "langchain4j", .provider = "ollama", .flags = CODE_SDK_CHAIN },
	{ .callee = "Client.builder", .families = JAVA, .requires = "com.google.genai", .kind = MODEL, .framework = "google-genai", .provider = "google", .flags = CODE_SDK_CHAIN },
	{ .callee = "OpenAI.Client.new", .families = RUBY, .kind = MODEL, .framework = "ruby-openai", .provider = "openai" },
	{ .callee = "Anthropic.Client.new", .families = RUBY, .kind = MODEL, .framework = "anthropic", .provider = "anthropic" },
	{ .callee = "Langchain.LLM.OpenAI.new", .families = RUBY, .kind = MODEL, .framework = "langchainrb", .provider = "openai" },
	{ .callee = "Langchain.LLM.Anthropic.new", .families = RUBY, .kind = MODEL, .framework = "langchainrb", .provider = "anthropic" },
	{ .callee = "Langchain.LLM.GoogleGemini.new", .families = RUBY, .kind = MODEL, .framework = "langchainrb", .provider = "google" },
	{ .callee = "curl", .families = BASH, .kind = MODEL, .framework = "http", .flags = CODE_SDK_URL_HOST },
	{ .callee = "wget", .families = BASH, .kind = MODEL, .framework = "http", .flags = CODE_SDK_URL_HOST },
};

#define SDK_COUNT (sizeof(sdk_table) / sizeof(sdk_table[0]))

static bool ends_with_segment(const char *callee, const char *suffix)
{
	size_t len = strlen(callee), n = strlen(suffix);

	if (len < n || strcmp(callee + len - n, suffix) != 0)
		return false;
	return len == n || callee[len - n - 1] == '.';
}

/* True when data contains one of the '|'-separated choices of requires. */
static bool file_contains(const char *requires, const char *data, size_t len)
{
	while (*requires) {
		const char *bar = strchr(requires, '|');
		size_t n = bar ? (size_t)(bar - requires) : strlen(requires);

		if (memmem(data, len, requires, n))
			return true;
		requires += n + (bar ? 1 : 0);
	}
	return false;
}

const struct code_sdk *code_sdk_find(const char *callee, unsigned family, const char *data, size_t len)
{
	for (size_t i = 0; i < SDK_COUNT; i++) {
		const struct code_sdk *sdk = &sdk_table[i];

		if (!(sdk->families & family) || !ends_with_segment(callee, sdk->callee))
			continue;
		if ((sdk->flags & CODE_SDK_EXACT) && strcmp(callee, sdk->callee) != 0)
			continue;
		if (sdk->requires && !file_contains(sdk->requires, data, len))
			continue;
		return sdk;
	}
	return NULL;
}

struct prefix_provider {
	const char *prefix;
	const char *provider;
};

/* Model families by their usual name prefix. */
static const struct prefix_provider model_prefixes[] = {
	{ "gpt-", "openai" }, { "gpt4", "openai" }, { "chatgpt", "openai" }, { "o1", "openai" }, { "o3", "openai" },
	{ "o4-", "openai" }, { "text-embedding", "openai" }, { "claude", "anthropic" }, { "gemini", "google" },
	{ "mistral", "mistral" }, { "codestral", "mistral" }, { "command", "cohere" },
};

/* Provider names written before a model as "provider:model" or "provider/model". */
static const char *const provider_names[] = {
	"openai", "anthropic", "google", "google-gla", "google-vertex", "gemini", "vertex_ai", "mistral", "groq",
	"cohere", "bedrock", "ollama", "azure", "azure_openai", "deepseek", "xai", "together", "fireworks", NULL,
};

const char *code_sdk_model_provider(const char *model)
{
	size_t split = strcspn(model, ":/");

	if (model[split] != '\0') {
		for (size_t i = 0; provider_names[i]; i++)
			if (strlen(provider_names[i]) == split && strncasecmp(model, provider_names[i], split) == 0)
				return provider_names[i];
	}
	for (size_t i = 0; i < sizeof(model_prefixes) / sizeof(model_prefixes[0]); i++)
		if (strncasecmp(model, model_prefixes[i].prefix, strlen(model_prefixes[i].prefix)) == 0)
			return model_prefixes[i].provider;
	return NULL;
}

const char *code_sdk_url_provider(const char *url)
{
	static const struct prefix_provider hosts[] = {
		{ "api.openai.com", "openai" }, { "api.anthropic.com", "anthropic" },
		{ "generativelanguage.googleapis.com", "google" }, { "api.mistral.ai", "mistral" },
		{ "api.groq.com", "groq" }, { "api.cohere.com", "cohere" }, { "api.cohere.ai", "cohere" },
		{ "openai.azure.com", "azure-openai" }, { "api.deepseek.com", "deepseek" }, { "api.x.ai", "xai" },
	};
	const char *host = strstr(url, "://");
	size_t host_len;

	if (!host)
		return NULL;
	host += 3;
	host_len = strcspn(host, "/:?#");
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		size_t n = strlen(hosts[i].prefix);

		/* The host itself, or a subdomain of it as Azure resource names are. */
		if (host_len >= n && strncasecmp(host + host_len - n, hosts[i].prefix, n) == 0 &&
		    (host_len == n || host[host_len - n - 1] == '.'))
			return hosts[i].provider;
	}
	return NULL;
}

const char *code_sdk_factory_provider(const char *callee, unsigned family, const char **default_env)
{
	/* Provider instances of the Vercel AI SDK, called with a model name: openai("gpt-4o"). */
	static const struct {
		const char *name;
		const char *provider;
		const char *default_env;
	} factories[] = {
		{ "openai", "openai", "OPENAI_API_KEY" },
		{ "anthropic", "anthropic", "ANTHROPIC_API_KEY" },
		{ "google", "google", "GOOGLE_GENERATIVE_AI_API_KEY" },
		{ "mistral", "mistral", "MISTRAL_API_KEY" },
		{ "azure", "azure-openai", NULL },
		{ "groq", "groq", NULL },
		{ "xai", "xai", NULL },
		{ "bedrock", "aws-bedrock", NULL },
	};
	size_t first = strcspn(callee, ".");

	*default_env = NULL;
	if (!(family & CODE_FAMILY_JS))
		return NULL;
	for (size_t i = 0; i < sizeof(factories) / sizeof(factories[0]); i++) {
		if (strlen(factories[i].name) == first && strncmp(callee, factories[i].name, first) == 0) {
			*default_env = factories[i].default_env;
			return factories[i].provider;
		}
	}
	return NULL;
}

bool code_sdk_is_tool_method(const char *method, unsigned family)
{
	static const struct {
		const char *name;
		unsigned families;
	} methods[] = {
		{ "tool", PY | JS }, { "registerTool", JS }, { "add_tool", PY }, { "AddTool", GO }, { "AddTools", GO },
		{ "define_tool", RUBY },
	};

	for (size_t i = 0; i < sizeof(methods) / sizeof(methods[0]); i++)
		if ((methods[i].families & family) && strcmp(methods[i].name, method) == 0)
			return true;
	return false;
}

bool code_sdk_is_tool_decorator(const char *name)
{
	/* LangChain and CrewAI @tool, the OpenAI Agents SDK's @function_tool, Semantic Kernel's
	 * @kernel_function, and the @Tool annotation of LangChain4j and Spring AI. */
	static const char *const decorators[] = { "tool", "function_tool", "kernel_function", "Tool", NULL };

	for (size_t i = 0; decorators[i]; i++)
		if (strcmp(decorators[i], name) == 0)
			return true;
	return false;
}
