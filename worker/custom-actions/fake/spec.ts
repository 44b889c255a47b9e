/** The fake service's OpenAPI 3.0 document (YAML), with `servers` pointing at wherever the fake listens. */
export const specYaml = (baseUrl: string) => `openapi: 3.0.3
info:
  title: Fake pet store
  version: "1.0.0"
servers:
  - url: ${baseUrl}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-Api-Key}
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: basic}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: ${baseUrl}/oauth/token, scopes: {pets: read pets}}}
  schemas:
    Pet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        tag: {type: string}
paths:
  /pets/{petId}:
    get:
      operationId: getPet
      summary: Get one pet by id
      parameters:
        - {name: petId, in: path, required: true, schema: {type: string}}
        - {name: verbose, in: query, schema: {type: boolean}}
        - {name: X-Trace, in: header, schema: {type: string}}
      responses: {"200": {description: The pet}}
  /pets:
    post:
      operationId: createPet
      summary: Add a pet
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: "#/components/schemas/Pet"}}}
      responses: {"201": {description: Created}}
  /secure/key:
    get: {operationId: withKey, summary: Needs the API key, security: [{key: []}], responses: {"200": {description: ok}}}
  /secure/bearer:
    get: {operationId: withBearer, summary: Needs the bearer token, security: [{bearer: []}], responses: {"200": {description: ok}}}
  /secure/basic:
    get: {operationId: withBasic, summary: Needs basic auth, security: [{basic: []}], responses: {"200": {description: ok}}}
  /secure/oauth:
    get: {operationId: withOauth, summary: Needs an OAuth token, security: [{oauth: [pets]}], responses: {"200": {description: ok}}}
  /secure/leaky:
    get: {operationId: leaky, summary: Echoes the API key back, security: [{key: []}], responses: {"200": {description: ok}}}
  /files/report:
    get: {operationId: getReport, summary: Download the report as a PDF, responses: {"200": {description: A file}}}
  /uploads/form:
    post:
      operationId: uploadForm
      summary: Upload a document with a caption (multipart)
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [document]
              properties:
                document: {type: string, format: binary, description: The document to file}
                extras: {type: array, items: {type: string, format: binary}}
                caption: {type: string}
      responses: {"200": {description: "What arrived, part by part"}}
  /uploads/raw:
    put:
      operationId: uploadRaw
      summary: Upload one file as the body
      requestBody:
        required: true
        content:
          application/octet-stream: {schema: {type: string, format: binary}}
      responses: {"200": {description: What arrived}}
  /huge:
    get: {operationId: huge, summary: A 50 MB answer, responses: {"200": {description: Too much}}}
  /redirect/loopback:
    get: {operationId: toLoopback, summary: Redirects to 127.0.0.1, responses: {"302": {description: Moved}}}
  /redirect/metadata:
    get: {operationId: toMetadata, summary: Redirects to the cloud metadata address, responses: {"302": {description: Moved}}}
`;
