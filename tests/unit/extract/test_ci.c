/*
 * Pipeline extractors: GitHub Actions workflows and composite actions, GitLab CI, CircleCI,
 * Azure Pipelines, Bitbucket Pipelines and Jenkinsfiles. Each test writes a fixture pipeline
 * (fake credentials are random and made at run time), runs extract_file() on it and checks the
 * facts, their positions and the findings.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "extract_test.h"

static void test_extract_github__permissions_and_oidc(void **state)
{
	const char *text =
		"name: release\n"
		"on: [push]\n"
		"permissions:\n"
		"  contents: read\n"
		"  id-token: write\n"
		"jobs:\n"
		"  publish:\n"
		"    runs-on: ubuntu-latest\n"
		"    permissions: write-all\n"
		"    steps:\n"
		"      - run: make\n";
	struct extracted result;
	const struct nhi_fact *workflow, *permissions, *job;
	const struct nhi_finding *finding;

	extract_text(&result, ".github/workflows/release.yml", text);
	workflow = need_fact(&result, "ci.workflow", ".github/workflows/release.yml");
	assert_attr(workflow, "system", "github-actions");
	assert_attr(workflow, "name", "release");
	assert_attr(need_fact(&result, "ci.trigger", "push"), "privileged", "false");
	permissions = need_fact(&result, "ci.permissions", "workflow");
	assert_attr(permissions, "level", "custom");
	assert_attr(permissions, "permission", "contents:read");
	assert_attr(permissions, "permission", "id-token:write");
	assert_position(permissions->line, permissions->column, 3, 1);
	assert_non_null(need_fact(&result, "ci.oidc", "workflow"));
	job = need_fact(&result, "ci.job", "publish");
	assert_string_equal(job->parent, "ci.workflow:.github/workflows/release.yml");
	assert_attr(job, "runs_on", "ubuntu-latest");
	assert_attr(need_fact(&result, "ci.permissions", "publish"), "level", "write-all");
	finding = need_finding(&result, "ci.permissions.write-all");
	assert_position(finding->line, finding->column, 9, 18);
	assert_string_equal(finding->kind, "ci.permissions");
	assert_int_equal(finding->fingerprint[0], '\0');
	assert_null(find_finding(&result, "ci.permissions.unset"));
	extracted_dispose(&result);
}

static void test_extract_github__unset_permissions(void **state)
{
	const char *text =
		"on: push\n"
		"jobs:\n"
		"  test:\n"
		"    runs-on: ubuntu-latest\n"
		"    steps: [{run: make}]\n"
		"  lint:\n"
		"    permissions: {contents: read}\n"
		"    steps: [{run: make lint}]\n";
	struct extracted result;
	const struct nhi_finding *finding;

	extract_text(&result, ".github/workflows/ci.yaml", text);
	finding = need_finding(&result, "ci.permissions.unset");
	assert_position(finding->line, finding->column, 2, 1);
	assert_non_null(strstr(finding->message, "test"));
	assert_null(strstr(finding->message, "lint"));
	assert_int_equal(count_findings(&result, "ci.permissions.unset"), 1);
	extracted_dispose(&result);
}

static void test_extract_github__secret_flows(void **state)
{
	const char *text =
		"on: push\n"
		"permissions: {}\n"
		"env:\n"
		"  GLOBAL: ${{ secrets.GLOBAL_TOKEN }}\n"
		"jobs:\n"
		"  deploy:\n"
		"    runs-on: ubuntu-latest\n"
		"    container:\n"
		"      image: registry.example.com/build:1\n"
		"      credentials:\n"
		"        username: bot\n"
		"        password: ${{ secrets.REGISTRY_PASSWORD }}\n"
		"    services:\n"
		"      db:\n"
		"        image: postgres:16\n"
		"        env:\n"
		"          POSTGRES_PASSWORD: ${{ secrets.DB_PASSWORD }}\n"
		"    env:\n"
		"      JOB_KEY: ${{ secrets.JOB_KEY }}\n"
		"    steps:\n"
		"      - uses: actions/setup-node@v4\n"
		"        with:\n"
		"          registry-url: https://registry.npmjs.org\n"
		"        env:\n"
		"          NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}\n"
		"      - run: ./deploy --key \"${{ secrets.DEPLOY_KEY }}\" --gh ${{ github.token }}\n"
		"  call:\n"
		"    uses: ./.github/workflows/reusable.yml\n"
		"    secrets:\n"
		"      token: ${{ secrets.CALL_TOKEN }}\n";
	struct extracted result;
	const struct nhi_fact *fact;

	extract_text(&result, ".github/workflows/deploy.yml", text);
	assert_attr(need_fact(&result, "ci.secret", "GLOBAL_TOKEN"), "flow", "workflow-env");
	assert_attr(need_fact(&result, "ci.secret", "REGISTRY_PASSWORD"), "flow", "container-credentials");
	assert_attr(need_fact(&result, "ci.secret", "DB_PASSWORD"), "flow", "service-env");
	assert_attr(need_fact(&result, "ci.secret", "JOB_KEY"), "flow", "job-env");
	fact = need_fact(&result, "ci.secret", "NPM_TOKEN");
	assert_attr(fact, "flow", "step-env");
	assert_attr(fact, "action", "actions/setup-node");
	assert_attr(fact, "classification", "reference");
	assert_string_equal(fact->parent, "ci.job:deploy");
	assert_position(fact->line, fact->column, 25, 32);
	fact = need_fact(&result, "ci.secret", "DEPLOY_KEY");
	assert_attr(fact, "flow", "run");
	assert_position(fact->line, fact->column, 26, 34);
	assert_attr(need_fact(&result, "ci.secret", "GITHUB_TOKEN"), "builtin", "true");
	assert_attr(need_fact(&result, "ci.secret", "CALL_TOKEN"), "flow", "reusable-workflow");
	assert_attr(need_fact(&result, "credential.reference", "secret:NPM_TOKEN"), "store", "secret");
	fact = need_fact(&result, "ci.action", "actions/setup-node@v4");
	assert_attr(fact, "pinned", "false");
	assert_attr(fact, "third_party", "false");
	assert_attr(need_fact(&result, "ci.action", "./.github/workflows/reusable.yml"), "pinned", "true");
	/* Secrets into GitHub's own unpinned action, or into a local workflow, are not reported. */
	assert_null(find_finding(&result, "ci.action.unpinned-with-secrets"));
	assert_null(find_finding(&result, "ci.hardcoded-credential"));
	extracted_dispose(&result);
}

static void test_extract_github__risky_findings(void **state)
{
	char token[64], sha[48];
	char text[2048];
	struct extracted result;
	const struct nhi_finding *finding;
	const struct nhi_fact *action;

	make_token(token, sizeof(token), "", 40, NULL);
	make_token(sha, sizeof(sha), "", 40, "0123456789abcdef");
	snprintf(text, sizeof(text),
		 "on:\n"
		 "  pull_request_target:\n"
		 "permissions: {contents: read}\n"
		 "jobs:\n"
		 "  test:\n"
		 "    runs-on: ubuntu-latest\n"
		 "    env:\n"
		 "      SERVICE_API_KEY: %s\n"
		 "    steps:\n"
		 "      - uses: actions/checkout@v4\n"
		 "        with:\n"
		 "          ref: ${{ github.event.pull_request.head.sha }}\n"
		 "      - uses: vendor/upload-action@main\n"
		 "        with:\n"
		 "          api-token: ${{ secrets.UPLOAD_TOKEN }}\n"
		 "      - uses: vendor/upload-action@%s\n"
		 "        with:\n"
		 "          api-token: ${{ secrets.UPLOAD_TOKEN }}\n"
		 "      - run: echo '${{ toJSON(secrets) }}' > all.json\n"
		 "  shared:\n"
		 "    uses: vendor/workflows/.github/workflows/build.yml@v2\n"
		 "    secrets: inherit\n",
		 token, sha);
	extract_text(&result, ".github/workflows/pr.yml", text);
	assert_attr(need_fact(&result, "ci.trigger", "pull_request_target"), "privileged", "true");
	finding = need_finding(&result, "ci.trigger.untrusted-checkout");
	assert_position(finding->line, finding->column, 10, 15);
	assert_int_equal(finding->severity, NHI_SEVERITY_CRITICAL);
	finding = need_finding(&result, "ci.trigger.privileged-with-secrets");
	assert_position(finding->line, finding->column, 2, 3);
	assert_non_null(strstr(finding->message, "UPLOAD_TOKEN"));
	assert_int_equal(count_findings(&result, "ci.action.unpinned-with-secrets"), 2);
	finding = need_finding(&result, "ci.action.unpinned-with-secrets");
	assert_position(finding->line, finding->column, 13, 15);
	action = need_fact(&result, "ci.action", "vendor/upload-action@main");
	assert_attr(action, "receives_secrets", "true");
	assert_attr(action, "third_party", "true");
	assert_attr(need_fact(&result, "ci.action", NULL), "persist_credentials", "true");
	assert_non_null(need_finding(&result, "ci.checkout.persist-credentials"));
	finding = need_finding(&result, "ci.secret.tojson");
	assert_position(finding->line, finding->column, 19, 24);
	finding = need_finding(&result, "ci.secret.inherit");
	assert_position(finding->line, finding->column, 22, 14);
	assert_attr(need_fact(&result, "ci.secret", "*"), "flow", "tojson");
	finding = need_finding(&result, "ci.hardcoded-credential");
	assert_position(finding->line, finding->column, 8, 24);
	assert_int_equal(finding->end_column, 24 + 40);
	assert_int_equal(strlen(finding->fingerprint), NHI_FINGERPRINT_HEX);
	assert_non_null(finding->redacted);
	assert_attr(need_fact(&result, "ci.secret", "SERVICE_API_KEY"), "classification", "hard-coded");
	assert_nowhere(&result, token);
	extracted_dispose(&result);
}

static void test_extract_github__checkout_without_persistence(void **state)
{
	const char *text =
		"on: push\n"
		"permissions: read-all\n"
		"jobs:\n"
		"  a:\n"
		"    steps:\n"
		"      - uses: actions/checkout@v4\n"
		"        with: {persist-credentials: false}\n";
	struct extracted result;

	extract_text(&result, ".github/workflows/a.yml", text);
	assert_attr(need_fact(&result, "ci.action", "actions/checkout@v4"), "persist_credentials", "false");
	assert_null(find_finding(&result, "ci.checkout.persist-credentials"));
	assert_attr(need_fact(&result, "ci.permissions", "workflow"), "level", "read-all");
	assert_int_equal(result.findings.count, 0);
	extracted_dispose(&result);
}

static void test_extract_github__composite_action(void **state)
{
	const char *text =
		"name: publish\n"
		"inputs:\n"
		"  npm-token:\n"
		"    required: true\n"
		"runs:\n"
		"  using: composite\n"
		"  steps:\n"
		"    - uses: vendor/publish@v1\n"
		"      with:\n"
		"        token: ${{ inputs.npm-token }}\n";
	struct extracted result;
	const struct nhi_fact *workflow;

	extract_text(&result, "actions/publish/action.yml", text);
	workflow = need_fact(&result, "ci.workflow", "actions/publish/action.yml");
	assert_attr(workflow, "kind", "composite-action");
	assert_attr(need_fact(&result, "ci.secret", "npm-token"), "store", "input");
	assert_non_null(need_fact(&result, "ci.action", "vendor/publish@v1"));
	assert_non_null(need_finding(&result, "ci.action.unpinned-with-secrets"));
	extracted_dispose(&result);
}

static void test_extract_gitlab__variables_secrets_tokens(void **state)
{
	char password[64];
	char text[2048];
	struct extracted result;
	const struct nhi_fact *fact;
	const struct nhi_finding *finding;

	make_token(password, sizeof(password), "", 24, NULL);
	snprintf(text, sizeof(text),
		 "spec:\n"
		 "  inputs:\n"
		 "    stage: {default: test}\n"
		 "---\n"
		 "variables:\n"
		 "  DATABASE_PASSWORD: \"%s\"\n"
		 "  DEPLOY_TOKEN: $PROD_DEPLOY_TOKEN\n"
		 ".base: &base\n"
		 "  image: alpine\n"
		 "deploy:\n"
		 "  <<: *base\n"
		 "  stage: deploy\n"
		 "  id_tokens:\n"
		 "    VAULT_ID_TOKEN:\n"
		 "      aud: https://vault.example.com\n"
		 "  secrets:\n"
		 "    DB_PASSWORD:\n"
		 "      vault: production/db/password@ops\n"
		 "      token: $VAULT_ID_TOKEN\n"
		 "    KV_KEY:\n"
		 "      azure_key_vault: {name: kv-key, version: '2'}\n"
		 "  script:\n"
		 "    - curl --header \"JOB-TOKEN: $CI_JOB_TOKEN\" https://gitlab.example.com/api\n",
		 password);
	extract_text(&result, ".gitlab-ci.yml", text);
	assert_attr(need_fact(&result, "ci.workflow", ".gitlab-ci.yml"), "system", "gitlab-ci");
	fact = need_fact(&result, "ci.job", "deploy");
	assert_attr(fact, "image", "alpine");
	assert_attr(fact, "stage", "deploy");
	assert_position(fact->line, fact->column, 10, 1);
	assert_attr(need_fact(&result, "ci.job", ".base"), "hidden", "true");
	fact = need_fact(&result, "ci.secret", "DB_PASSWORD");
	assert_attr(fact, "store", "vault");
	assert_attr(fact, "path", "production/db/password@ops");
	assert_attr(need_fact(&result, "ci.secret", "KV_KEY"), "store", "azure_key_vault");
	assert_attr(need_fact(&result, "ci.oidc", "VAULT_ID_TOKEN"), "audience", "https://vault.example.com");
	fact = need_fact(&result, "ci.secret", "CI_JOB_TOKEN");
	assert_attr(fact, "flow", "script");
	assert_position(fact->line, fact->column, 23, 33);
	assert_attr(need_fact(&result, "ci.secret", "PROD_DEPLOY_TOKEN"), "classification", "reference");
	finding = need_finding(&result, "ci.hardcoded-credential");
	assert_position(finding->line, finding->column, 6, 23);
	assert_string_equal(finding->provider, "gitlab-ci");
	assert_nowhere(&result, password);
	extracted_dispose(&result);
}

static void test_extract_circleci__contexts_and_auth(void **state)
{
	char password[64];
	char text[2048];
	struct extracted result;
	const struct nhi_fact *fact;
	const struct nhi_finding *finding;

	make_token(password, sizeof(password), "", 20, NULL);
	snprintf(text, sizeof(text),
		 "version: 2.1\n"
		 "orbs:\n"
		 "  aws-cli: circleci/aws-cli@4.1.3\n"
		 "  slack: vendor/slack@volatile\n"
		 "jobs:\n"
		 "  build:\n"
		 "    docker:\n"
		 "      - image: registry.example.com/build:1\n"
		 "        auth:\n"
		 "          username: bot\n"
		 "          password: $REGISTRY_PASSWORD\n"
		 "    environment:\n"
		 "      SIGNING_SECRET: %s\n"
		 "    steps:\n"
		 "      - run:\n"
		 "          command: ./publish --token $NPM_TOKEN\n"
		 "workflows:\n"
		 "  main:\n"
		 "    jobs:\n"
		 "      - build:\n"
		 "          context: [release-secrets, aws-prod]\n",
		 password);
	extract_text(&result, ".circleci/config.yml", text);
	assert_non_null(need_fact(&result, "ci.job", "build"));
	fact = need_fact(&result, "ci.context", "release-secrets");
	assert_string_equal(fact->parent, "ci.job:build");
	assert_attr(fact, "workflow", "main");
	assert_position(fact->line, fact->column, 21, 21);
	assert_non_null(need_fact(&result, "ci.context", "aws-prod"));
	assert_attr(need_fact(&result, "ci.secret", "REGISTRY_PASSWORD"), "flow", "image-auth");
	assert_attr(need_fact(&result, "ci.secret", "NPM_TOKEN"), "flow", "script");
	assert_attr(need_fact(&result, "ci.action", "circleci/aws-cli@4.1.3"), "pinned", "true");
	assert_attr(need_fact(&result, "ci.action", "vendor/slack@volatile"), "pinned", "false");
	finding = need_finding(&result, "ci.hardcoded-credential");
	assert_position(finding->line, finding->column, 13, 23);
	extracted_dispose(&result);
}

static void test_extract_azure__groups_mappings_connections(void **state)
{
	char key[64];
	char text[2048];
	struct extracted result;
	const struct nhi_fact *fact;

	make_token(key, sizeof(key), "", 32, NULL);
	snprintf(text, sizeof(text),
		 "trigger: [main]\n"
		 "resources:\n"
		 "  repositories:\n"
		 "    - repository: tools\n"
		 "      type: github\n"
		 "      endpoint: github-service-connection\n"
		 "variables:\n"
		 "  - group: release-secrets\n"
		 "  - name: STORAGE_KEY\n"
		 "    value: '%s'\n"
		 "stages:\n"
		 "  - stage: deploy\n"
		 "    jobs:\n"
		 "      - job: push\n"
		 "        steps:\n"
		 "          - task: AzureCLI@2\n"
		 "            inputs:\n"
		 "              azureSubscription: prod-arm-connection\n"
		 "              scriptType: bash\n"
		 "            env:\n"
		 "              ARM_SECRET: $(armClientSecret)\n"
		 "          - script: ./upload.sh $(UPLOAD_TOKEN)\n",
		 key);
	extract_text(&result, "azure-pipelines.yml", text);
	assert_non_null(need_fact(&result, "ci.variable-group", "release-secrets"));
	fact = need_fact(&result, "ci.service-connection", "prod-arm-connection");
	assert_attr(fact, "task", "AzureCLI@2");
	assert_attr(fact, "input", "azureSubscription");
	assert_string_equal(fact->parent, "ci.job:push");
	assert_attr(need_fact(&result, "ci.service-connection", "github-service-connection"), "input", "endpoint");
	fact = need_fact(&result, "ci.secret", "armClientSecret");
	assert_attr(fact, "store", "variable");
	assert_attr(fact, "variable", "ARM_SECRET");
	assert_position(fact->line, fact->column, 21, 27);
	assert_attr(need_fact(&result, "ci.secret", "UPLOAD_TOKEN"), "flow", "script");
	assert_int_equal(need_finding(&result, "ci.hardcoded-credential")->line, 10);
	assert_int_equal(need_finding(&result, "ci.hardcoded-credential")->column, 13);
	extracted_dispose(&result);
}

static void test_extract_bitbucket__oidc_pipes_variables(void **state)
{
	const char *text =
		"image:\n"
		"  name: registry.example.com/build:1\n"
		"  username: $REGISTRY_USER\n"
		"  password: $REGISTRY_PASSWORD\n"
		"pipelines:\n"
		"  default:\n"
		"    - step:\n"
		"        name: deploy\n"
		"        oidc: true\n"
		"        script:\n"
		"          - pipe: atlassian/aws-s3-deploy:1.1.0\n"
		"            variables:\n"
		"              AWS_SECRET_ACCESS_KEY: $AWS_SECRET_ACCESS_KEY\n"
		"          - ./release.sh --token $RELEASE_TOKEN\n"
		"  branches:\n"
		"    main:\n"
		"      - parallel:\n"
		"          - step:\n"
		"              script: [make]\n";
	struct extracted result;
	const struct nhi_fact *fact;

	extract_text(&result, "bitbucket-pipelines.yml", text);
	fact = need_fact(&result, "ci.oidc", "deploy");
	assert_position(fact->line, fact->column, 9, 15);
	assert_attr(need_fact(&result, "ci.action", "atlassian/aws-s3-deploy:1.1.0"), "pinned", "true");
	assert_attr(need_fact(&result, "ci.secret", "AWS_SECRET_ACCESS_KEY"), "flow", "pipe-variables");
	assert_attr(need_fact(&result, "ci.secret", "RELEASE_TOKEN"), "store", "bitbucket-variable");
	assert_attr(need_fact(&result, "ci.secret", "REGISTRY_PASSWORD"), "flow", "image");
	assert_non_null(need_fact(&result, "ci.job", "step@18"));
	assert_int_equal(result.findings.count, 0);
	extracted_dispose(&result);
}

static void test_extract_jenkins__credential_bindings(void **state)
{
	char literal[64];
	char text[2048];
	struct extracted result;
	const struct nhi_fact *fact;
	const struct nhi_finding *finding;

	make_token(literal, sizeof(literal), "", 30, NULL);
	snprintf(text, sizeof(text),
		 "pipeline {\n"
		 "  environment {\n"
		 "    AWS_CREDS = credentials('aws-prod')\n"
		 "    API_TOKEN = '%s'\n"
		 "  }\n"
		 "  stages {\n"
		 "    stage('Deploy') {\n"
		 "      steps {\n"
		 "        withCredentials([string(credentialsId: 'slack-token', variable: 'SLACK'),\n"
		 "                         usernamePassword(credentialsId: 'nexus', usernameVariable: 'U', passwordVariable: 'P')]) {\n"
		 "          sh './deploy.sh'\n"
		 "        }\n"
		 "        sshagent(['deploy-key']) { sh 'ssh host true' }\n"
		 "        script { docker.withRegistry('https://registry.example.com', 'registry-creds') { } }\n"
		 "      }\n"
		 "    }\n"
		 "  }\n"
		 "}\n",
		 literal);
	extract_text(&result, "Jenkinsfile", text);
	assert_attr(need_fact(&result, "ci.workflow", "Jenkinsfile"), "system", "jenkins");
	fact = need_fact(&result, "ci.secret", "aws-prod");
	assert_attr(fact, "variable", "AWS_CREDS");
	assert_attr(fact, "flow", "environment");
	assert_position(fact->line, fact->column, 3, 30);
	fact = need_fact(&result, "ci.secret", "slack-token");
	assert_attr(fact, "flow", "string");
	assert_attr(fact, "variable", "SLACK");
	fact = need_fact(&result, "ci.secret", "nexus");
	assert_attr(fact, "flow", "usernamePassword");
	assert_attr(fact, "variable", "P");
	assert_attr(need_fact(&result, "ci.secret", "deploy-key"), "flow", "sshagent");
	assert_attr(need_fact(&result, "ci.secret", "registry-creds"), "flow", "withRegistry");
	assert_non_null(need_fact(&result, "ci.job", "Deploy"));
	assert_attr(need_fact(&result, "credential.reference", "jenkins:nexus"), "store", "jenkins");
	finding = need_finding(&result, "ci.hardcoded-credential");
	assert_position(finding->line, finding->column, 4, 18);
	assert_nowhere(&result, literal);
	extracted_dispose(&result);
}

static void test_extract_ci__malformed_yaml_warns(void **state)
{
	const char *text = "on: push\njobs:\n  a: [unclosed\n  b: 1\n";
	struct extracted result;
	const char *warning;

	extract_text(&result, ".github/workflows/broken.yml", text);
	assert_int_equal(result.warnings.count, 1);
	warning = result.warnings.items[0];
	assert_true(strncmp(warning, ".github/workflows/broken.yml:", 29) == 0);
	assert_non_null(strstr(warning, "invalid YAML"));
	assert_int_equal(result.facts.count, 0);
	extracted_dispose(&result);
}

static void test_extract_ci__unrelated_files_ignored(void **state)
{
	const char *text = "jobs:\n  a:\n    permissions: write-all\n";
	struct extracted result;

	extract_text(&result, "docs/workflows/example.yml", text);
	assert_int_equal(result.facts.count, 0);
	assert_int_equal(result.findings.count, 0);
	extracted_dispose(&result);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_extract_github__permissions_and_oidc),
		cmocka_unit_test(test_extract_github__unset_permissions),
		cmocka_unit_test(test_extract_github__secret_flows),
		cmocka_unit_test(test_extract_github__risky_findings),
		cmocka_unit_test(test_extract_github__checkout_without_persistence),
		cmocka_unit_test(test_extract_github__composite_action),
		cmocka_unit_test(test_extract_gitlab__variables_secrets_tokens),
		cmocka_unit_test(test_extract_circleci__contexts_and_auth),
		cmocka_unit_test(test_extract_azure__groups_mappings_connections),
		cmocka_unit_test(test_extract_bitbucket__oidc_pipes_variables),
		cmocka_unit_test(test_extract_jenkins__credential_bindings),
		cmocka_unit_test(test_extract_ci__malformed_yaml_warns),
		cmocka_unit_test(test_extract_ci__unrelated_files_ignored),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
