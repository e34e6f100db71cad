<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR" sourcelanguage="en">
<context>
    <name>AudioForm</name>
    <message>
        <source>Select a model in the Models dock</source>
        <translation>Selecione um modelo no painel Modelos</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Semente</translation>
    </message>
</context>
<context>
    <name>AudioViewer</name>
    <message>
        <source>Play / pause (Space)</source>
        <translation>Reproduzir / pausar (Espaço)</translation>
    </message>
    <message>
        <source>Open in system player</source>
        <translation>Abrir no reprodutor do sistema</translation>
    </message>
    <message>
        <source>Reading the waveform…</source>
        <translation>Lendo a forma de onda…</translation>
    </message>
    <message>
        <source>Playback unavailable: {reason}</source>
        <translation>Reprodução indisponível: {reason}</translation>
    </message>
    <message>
        <source>Cannot read {name}: {reason}</source>
        <translation>Não foi possível ler {name}: {reason}</translation>
    </message>
    <message>
        <source>Playback failed: {reason}</source>
        <translation>A reprodução falhou: {reason}</translation>
    </message>
</context>
<context>
    <name>ChatList</name>
    <message>
        <source>New chat</source>
        <translation>Nova conversa</translation>
    </message>
    <message>
        <source>Start a new conversation</source>
        <translation>Começar uma nova conversa</translation>
    </message>
    <message>
        <source>Rename or delete the selected conversation</source>
        <translation>Renomear ou excluir a conversa selecionada</translation>
    </message>
    <message>
        <source>Rename</source>
        <translation>Renomear</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Excluir</translation>
    </message>
    <message>
        <source>(untitled)</source>
        <translation>(sem título)</translation>
    </message>
    <message>
        <source>Deleted “{0}”. &lt;a href=&quot;undo&quot;&gt;Undo&lt;/a&gt;</source>
        <translation>“{0}” excluída. &lt;a href=&quot;undo&quot;&gt;Desfazer&lt;/a&gt;</translation>
    </message>
</context>
<context>
    <name>ChatStats</name>
    <message>
        <source>≈{0:.1f} tok/s (estimated)</source>
        <translation>≈{0:.1f} tok/s (estimado)</translation>
    </message>
    <message>
        <source>{0:.1f} tok/s</source>
        <translation>{0:.1f} tok/s</translation>
    </message>
    <message>
        <source>{0} tokens</source>
        <translation>{0} tokens</translation>
    </message>
    <message>
        <source>first token {0:.2f} s</source>
        <translation>primeiro token em {0:.2f} s</translation>
    </message>
    <message>
        <source>First token: from Send to the first streamed text, timed here</source>
        <translation>Primeiro token: do Enviar até o primeiro texto recebido, medido aqui</translation>
    </message>
    <message>
        <source>(waiting in the queue and loading the model included).</source>
        <translation>(incluindo a espera na fila e o carregamento do modelo).</translation>
    </message>
    <message>
        <source>tok/s: estimated from the streamed token count.</source>
        <translation>tok/s: estimado a partir da contagem de tokens recebidos.</translation>
    </message>
    <message>
        <source>tok/s: the model&apos;s decoding rate, timed by the engine.</source>
        <translation>tok/s: a taxa de decodificação do modelo, medida pelo motor.</translation>
    </message>
    <message>
        <source>The engine&apos;s own time to first token: {0:.3f} s</source>
        <translation>Tempo até o primeiro token medido pelo próprio motor: {0:.3f} s</translation>
    </message>
</context>
<context>
    <name>ChatView</name>
    <message>
        <source>Probabilities</source>
        <translation>Probabilidades</translation>
    </message>
    <message>
        <source>Keep each token&apos;s alternatives and colour replies by how likely the model found each token; hover a token to see what else it could have said</source>
        <translation>Guardar as alternativas de cada token e colorir as respostas pela probabilidade que o modelo deu a cada token; passe o mouse sobre um token para ver o que mais ele poderia ter dito</translation>
    </message>
    <message>
        <source>code model</source>
        <translation>modelo de código</translation>
    </message>
    <message>
        <source>text model</source>
        <translation>modelo de texto</translation>
    </message>
    <message>
        <source>No model</source>
        <translation>Nenhum modelo</translation>
    </message>
    <message>
        <source>Pick a Text or Code model in the Models dock to start a conversation.</source>
        <translation>Escolha um modelo de Texto ou de Código no painel Modelos para começar uma conversa.</translation>
    </message>
    <message>
        <source>Ask {0} anything. The reply streams here as it is written.</source>
        <translation>Pergunte qualquer coisa a {0}. A resposta aparece aqui enquanto é escrita.</translation>
    </message>
    <message>
        <source>Pick a Text or Code model in the Models dock first.</source>
        <translation>Escolha primeiro um modelo de Texto ou de Código no painel Modelos.</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Nova conversa</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Message the model… (Ctrl+Return sends)</source>
        <translation>Mensagem para o modelo… (Ctrl+Enter envia)</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Send (Ctrl+Return)</source>
        <translation>Enviar (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Parar</translation>
    </message>
    <message>
        <source>Stop the reply; keep what came</source>
        <translation>Parar a resposta e manter o que já chegou</translation>
    </message>
    <message>
        <source>Sampling settings and system prompt</source>
        <translation>Configurações de amostragem e prompt de sistema</translation>
    </message>
    <message>
        <source>Editing your last message: Send replaces it and its reply.</source>
        <translation>Editando sua última mensagem: Enviar substitui a mensagem e a resposta.</translation>
    </message>
    <message>
        <source>Cancel edit</source>
        <translation>Cancelar edição</translation>
    </message>
    <message>
        <source>System prompt (optional): how the assistant should behave</source>
        <translation>Prompt de sistema (opcional): como o assistente deve se comportar</translation>
    </message>
    <message>
        <source>Temperature: 0 always picks the likeliest token</source>
        <translation>Temperatura: 0 sempre escolhe o token mais provável</translation>
    </message>
    <message>
        <source>The longest reply, in tokens</source>
        <translation>A resposta mais longa, em tokens</translation>
    </message>
    <message>
        <source>Temp.</source>
        <translation>Temp.</translation>
    </message>
    <message>
        <source>Max tokens</source>
        <translation>Máx. tokens</translation>
    </message>
    <message>
        <source>Temperature {0:.2f} · up to {1} tokens</source>
        <translation>Temperatura {0:.2f} · até {1} tokens</translation>
    </message>
    <message>
        <source> · system prompt</source>
        <translation> · prompt de sistema</translation>
    </message>
</context>
<context>
    <name>CrashGuard</name>
    <message>
        <source>(saved to {0})</source>
        <translation>(salvo em {0})</translation>
    </message>
    <message>
        <source>(the error log could not be written)</source>
        <translation>(não foi possível gravar o registro de erros)</translation>
    </message>
    <message>
        <source>Unexpected error in thread {0}: {1}</source>
        <translation>Erro inesperado na thread {0}: {1}</translation>
    </message>
    <message>
        <source>Unexpected error: {0}</source>
        <translation>Erro inesperado: {0}</translation>
    </message>
</context>
<context>
    <name>Drop</name>
    <message>
        <source>cannot read {0}: not a file</source>
        <translation>não foi possível ler {0}: não é um arquivo</translation>
    </message>
    <message>
        <source>cannot read {0}: not an image, or damaged</source>
        <translation>não foi possível ler {0}: não é uma imagem ou está danificada</translation>
    </message>
    <message>
        <source>no generation parameters in {0}</source>
        <translation>não há parâmetros de geração em {0}</translation>
    </message>
    <message>
        <source>(unnamed)</source>
        <translation>(sem nome)</translation>
    </message>
    <message>
        <source>model {0} not found; kept the current model</source>
        <translation>modelo {0} não encontrado; o modelo atual foi mantido</translation>
    </message>
    <message>
        <source>model {0} not found; choose a model in the Models dock</source>
        <translation>modelo {0} não encontrado; escolha um modelo no painel Modelos</translation>
    </message>
</context>
<context>
    <name>DropHandler</name>
    <message>
        <source>cannot use the parameters in {0}: {1}</source>
        <translation>não foi possível usar os parâmetros de {0}: {1}</translation>
    </message>
</context>
<context>
    <name>GalleryActions</name>
    <message>
        <source>no trash here</source>
        <translation>não há lixeira aqui</translation>
    </message>
    <message>
        <source> (and {count} more)</source>
        <translation> (e mais {count})</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>Abrir</translation>
    </message>
    <message>
        <source>Reuse parameters</source>
        <translation>Reutilizar parâmetros</translation>
    </message>
    <message>
        <source>Copy prompt</source>
        <translation>Copiar prompt</translation>
    </message>
    <message>
        <source>Copy seed</source>
        <translation>Copiar semente</translation>
    </message>
    <message>
        <source>Add tag…</source>
        <translation>Adicionar tag…</translation>
    </message>
    <message>
        <source>Open containing folder</source>
        <translation>Abrir a pasta do arquivo</translation>
    </message>
    <message>
        <source>Move to trash</source>
        <translation>Mover para a lixeira</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>Exportar…</translation>
    </message>
    <message>
        <source>Export without metadata…</source>
        <translation>Exportar sem metadados…</translation>
    </message>
    <message>
        <source>Remove tag</source>
        <translation>Remover tag</translation>
    </message>
    <message>
        <source>Cannot reuse the parameters of {name}: {reason}</source>
        <translation>Não foi possível reutilizar os parâmetros de {name}: {reason}</translation>
    </message>
    <message>
        <source>Reusing the parameters of {name}</source>
        <translation>Reutilizando os parâmetros de {name}</translation>
    </message>
    <message>
        <source>Prompt copied</source>
        <translation>Prompt copiado</translation>
    </message>
    <message>
        <source>{name} has no seed</source>
        <translation>{name} não tem semente</translation>
    </message>
    <message>
        <source>Seed {seed} copied</source>
        <translation>Semente {seed} copiada</translation>
    </message>
    <message>
        <source>Cannot add the tag: {reason}</source>
        <translation>Não foi possível adicionar a tag: {reason}</translation>
    </message>
    <message>
        <source>Tagged {count} output(s) &quot;{tag}&quot;</source>
        <translation>Tag &quot;{tag}&quot; adicionada a {count} resultado(s)</translation>
    </message>
    <message>
        <source>No tags</source>
        <translation>Sem tags</translation>
    </message>
    <message>
        <source>Removed the tag &quot;{tag}&quot; from {count} output(s)</source>
        <translation>Tag &quot;{tag}&quot; removida de {count} resultado(s)</translation>
    </message>
    <message>
        <source>The folder {folder} is gone</source>
        <translation>A pasta {folder} não existe mais</translation>
    </message>
    <message>
        <source>No file manager could open {folder}</source>
        <translation>Nenhum gerenciador de arquivos conseguiu abrir {folder}</translation>
    </message>
    <message>
        <source>Cannot move {name} to the trash ({reason}); the file is kept</source>
        <translation>Não foi possível mover {name} para a lixeira ({reason}); o arquivo foi mantido</translation>
    </message>
    <message>
        <source>Moved {count} output(s) to the trash</source>
        <translation>{count} resultado(s) movido(s) para a lixeira</translation>
    </message>
    <message>
        <source>Moved {done} of {count} output(s) to the trash</source>
        <translation>{done} de {count} resultado(s) movido(s) para a lixeira</translation>
    </message>
    <message>
        <source>Exporting {count} output(s)…</source>
        <translation>Exportando {count} resultado(s)…</translation>
    </message>
    <message>
        <source>Exported {done} of {count} output(s) to {folder}</source>
        <translation>{done} de {count} resultado(s) exportado(s) para {folder}</translation>
    </message>
    <message>
        <source>Export failed: {reason}</source>
        <translation>A exportação falhou: {reason}</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>Exportar para a pasta</translation>
    </message>
</context>
<context>
    <name>GalleryFilterBar</name>
    <message>
        <source>Search prompts and models</source>
        <translation>Pesquisar prompts e modelos</translation>
    </message>
    <message>
        <source>Show the outputs with this tag; tag outputs from their context menu</source>
        <translation>Mostra os resultados com esta tag; para adicionar tags, use o menu de contexto de um resultado</translation>
    </message>
    <message>
        <source>Order</source>
        <translation>Ordem</translation>
    </message>
    <message>
        <source>Newest first</source>
        <translation>Mais recentes</translation>
    </message>
    <message>
        <source>Oldest first</source>
        <translation>Mais antigos</translation>
    </message>
    <message>
        <source>Date</source>
        <translation>Data</translation>
    </message>
    <message>
        <source>Any time</source>
        <translation>Qualquer data</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hoje</translation>
    </message>
    <message>
        <source>Last 7 days</source>
        <translation>Últimos 7 dias</translation>
    </message>
    <message>
        <source>Last 30 days</source>
        <translation>Últimos 30 dias</translation>
    </message>
    <message>
        <source>All tasks</source>
        <translation>Todas as tarefas</translation>
    </message>
    <message>
        <source>All models</source>
        <translation>Todos os modelos</translation>
    </message>
    <message>
        <source>All tags</source>
        <translation>Todas as tags</translation>
    </message>
    <message>
        <source>{tag} ({count})</source>
        <translation>{tag} ({count})</translation>
    </message>
    <message>
        <source>Filters ({count})</source>
        <translation>Filtros ({count})</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>Filtros</translation>
    </message>
</context>
<context>
    <name>GalleryModel</name>
    <message>
        <source>{prompt}
{task} - seed {seed} - {model}
{path}</source>
        <translation>{prompt}
{task} - semente {seed} - {model}
{path}</translation>
    </message>
</context>
<context>
    <name>GalleryView</name>
    <message>
        <source>The gallery cannot be opened: {reason}</source>
        <translation>Não foi possível abrir a galeria: {reason}</translation>
    </message>
    <message>
        <source>No outputs match.</source>
        <translation>Nenhum resultado corresponde.</translation>
    </message>
    <message>
        <source>No outputs yet.</source>
        <translation>Nenhum resultado ainda.</translation>
    </message>
</context>
<context>
    <name>ImageForm</name>
    <message>
        <source>Custom</source>
        <translation>Personalizado</translation>
    </message>
    <message>
        <source>Select a model in the Models dock</source>
        <translation>Selecione um modelo no painel Modelos</translation>
    </message>
    <message>
        <source>Init image</source>
        <translation>Imagem inicial</translation>
    </message>
    <message>
        <source>None (txt2img)</source>
        <translation>Vazia (txt2img)</translation>
    </message>
    <message>
        <source>How much the init image may change: 1 repaints it completely</source>
        <translation>Quanto a imagem inicial pode mudar: 1 a repinta por completo</translation>
    </message>
    <message>
        <source>Mask</source>
        <translation>Máscara</translation>
    </message>
    <message>
        <source>None</source>
        <translation>Nenhuma</translation>
    </message>
    <message>
        <source>White repaints, black keeps</source>
        <translation>O branco repinta, o preto mantém</translation>
    </message>
    <message>
        <source>Paint…</source>
        <translation>Pintar…</translation>
    </message>
    <message>
        <source>Paint the mask over the init image</source>
        <translation>Pintar a máscara sobre a imagem inicial</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Negative prompt</source>
        <translation>Prompt negativo</translation>
    </message>
    <message>
        <source>Size (W x H)</source>
        <translation>Tamanho (L x A)</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Passos</translation>
    </message>
    <message>
        <source>Guidance (CFG)</source>
        <translation>Orientação (CFG)</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>Amostrador</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Semente</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Tamanho do lote</translation>
    </message>
    <message>
        <source>Batch count</source>
        <translation>Número de lotes</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>Intensidade</translation>
    </message>
</context>
<context>
    <name>ImageOffer</name>
    <message>
        <source>Use as:</source>
        <translation>Usar como:</translation>
    </message>
    <message>
        <source>Init image</source>
        <translation>Imagem inicial</translation>
    </message>
    <message>
        <source>Mask</source>
        <translation>Máscara</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Dispensar</translation>
    </message>
    <message>
        <source>{0} has no generation parameters.</source>
        <translation>{0} não tem parâmetros de geração.</translation>
    </message>
</context>
<context>
    <name>ImageSlot</name>
    <message>
        <source>Choose…</source>
        <translation>Escolher…</translation>
    </message>
    <message>
        <source>Choose a file</source>
        <translation>Escolher um arquivo</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Limpar</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remover</translation>
    </message>
    <message>
        <source>Images ({0})</source>
        <translation>Imagens ({0})</translation>
    </message>
    <message>
        <source>drop an image</source>
        <translation>solte uma imagem</translation>
    </message>
    <message>
        <source>missing file</source>
        <translation>arquivo ausente</translation>
    </message>
    <message>
        <source>not an image</source>
        <translation>não é uma imagem</translation>
    </message>
</context>
<context>
    <name>ImageViewer</name>
    <message>
        <source>Fit</source>
        <translation>Ajustar</translation>
    </message>
    <message>
        <source>Fit to window (Ctrl+0)</source>
        <translation>Ajustar à janela (Ctrl+0)</translation>
    </message>
    <message>
        <source>1:1</source>
        <translation>1:1</translation>
    </message>
    <message>
        <source>Actual size (Ctrl+1)</source>
        <translation>Tamanho real (Ctrl+1)</translation>
    </message>
    <message>
        <source>Zoom out (Ctrl+-)</source>
        <translation>Diminuir o zoom (Ctrl+-)</translation>
    </message>
    <message>
        <source>Zoom in (Ctrl++)</source>
        <translation>Aumentar o zoom (Ctrl++)</translation>
    </message>
    <message>
        <source>Compare</source>
        <translation>Comparar</translation>
    </message>
    <message>
        <source>Before / after (C)</source>
        <translation>Antes / depois (C)</translation>
    </message>
    <message>
        <source>Left: source image. Right: result.</source>
        <translation>Esquerda: imagem de origem. Direita: resultado.</translation>
    </message>
    <message>
        <source>Before</source>
        <translation>Antes</translation>
    </message>
    <message>
        <source>After</source>
        <translation>Depois</translation>
    </message>
    <message>
        <source>Cannot show {name}: {reason}</source>
        <translation>Não foi possível mostrar {name}: {reason}</translation>
    </message>
    <message>
        <source>the file is gone</source>
        <translation>o arquivo não existe mais</translation>
    </message>
    <message>
        <source>No before/after: the source image cannot be read ({reason})</source>
        <translation>Sem antes/depois: não foi possível ler a imagem de origem ({reason})</translation>
    </message>
</context>
<context>
    <name>InterfacePage</name>
    <message>
        <source>System language</source>
        <translation>Idioma do sistema</translation>
    </message>
    <message>
        <source>Language:</source>
        <translation>Idioma:</translation>
    </message>
    <message>
        <source>A new language takes effect after a restart.</source>
        <translation>Um novo idioma passa a valer depois de reiniciar o aplicativo.</translation>
    </message>
</context>
<context>
    <name>JobTableModel</name>
    <message>
        <source>{0} (priority {1})</source>
        <translation>{0} (prioridade {1})</translation>
    </message>
</context>
<context>
    <name>LanguagePickers</name>
    <message>
        <source>Translate from</source>
        <translation>Traduzir de</translation>
    </message>
    <message>
        <source>Translate into</source>
        <translation>Traduzir para</translation>
    </message>
    <message>
        <source>Swap the languages</source>
        <translation>Inverter os idiomas</translation>
    </message>
    <message>
        <source>This model does not translate {0} into {1}</source>
        <translation>Este modelo não traduz de {0} para {1}</translation>
    </message>
    <message>
        <source>{0} languages</source>
        <translation>{0} idiomas</translation>
    </message>
</context>
<context>
    <name>LatentForms</name>
    <message>
        <source>Select a model in the Models dock</source>
        <translation>Selecione um modelo no painel Modelos</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Passos</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>Amostrador</translation>
    </message>
</context>
<context>
    <name>LogPanel</name>
    <message>
        <source>Log</source>
        <translation>Registro</translation>
    </message>
    <message>
        <source>{0} job {1}: {2}</source>
        <translation>{0} trabalho {1}: {2}</translation>
    </message>
    <message>
        <source>{0} ERROR job {1} failed: {2}</source>
        <translation>{0} ERRO: o trabalho {1} falhou: {2}</translation>
    </message>
</context>
<context>
    <name>LoraList</name>
    <message>
        <source>LoRAs</source>
        <translation>LoRAs</translation>
    </message>
    <message>
        <source>Add LoRA</source>
        <translation>Adicionar LoRA</translation>
    </message>
    <message>
        <source>Add a LoRA from your model folders, with its weight</source>
        <translation>Adicionar um LoRA das suas pastas de modelos, com o seu peso</translation>
    </message>
    <message>
        <source>cannot read the model catalog: {0}</source>
        <translation>não foi possível ler o catálogo de modelos: {0}</translation>
    </message>
    <message>
        <source>No LoRAs in your model folders</source>
        <translation>Nenhum LoRA nas suas pastas de modelos</translation>
    </message>
</context>
<context>
    <name>LoraRow</name>
    <message>
        <source>Weight: 0 turns the LoRA off, negative inverts it</source>
        <translation>Peso: 0 desliga o LoRA; um valor negativo inverte o efeito</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remover</translation>
    </message>
    <message>
        <source>Remove this LoRA</source>
        <translation>Remover este LoRA</translation>
    </message>
    <message>
        <source>{0}: not in the catalog</source>
        <translation>{0}: não está no catálogo</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Data folder: {0}</source>
        <translation>Pasta de dados: {0}</translation>
    </message>
    <message>
        <source>No outputs yet. Pick a model in the Models dock, write a prompt in Parameters and press Generate (Ctrl+Return).</source>
        <translation>Nenhum resultado ainda. Escolha um modelo no painel Modelos, escreva um prompt em Parâmetros e clique em Gerar (Ctrl+Enter).</translation>
    </message>
    <message>
        <source>Queued job {0} ({1})</source>
        <translation>Trabalho {0} na fila ({1})</translation>
    </message>
    <message>
        <source>Generative Studio {0}: local generative models, offline. Data folder: {1}</source>
        <translation>Generative Studio {0}: modelos generativos locais, sem internet. Pasta de dados: {1}</translation>
    </message>
    <message>
        <source>Generating (job {0}): step {1} of {2}</source>
        <translation>Gerando (trabalho {0}): passo {1} de {2}</translation>
    </message>
    <message>
        <source>Job {0} failed: {1}</source>
        <translation>O trabalho {0} falhou: {1}</translation>
    </message>
    <message>
        <source>{0} demo models are ready in the Models dock. They are untrained: their outputs are noise.</source>
        <translation>{0} modelos de demonstração estão prontos no painel Modelos. Eles não foram treinados: os resultados são ruído.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Arquivo</translation>
    </message>
    <message>
        <source>&amp;Settings…</source>
        <translation>&amp;Configurações…</translation>
    </message>
    <message>
        <source>Open &amp;output folder</source>
        <translation>Abrir pasta de &amp;saída</translation>
    </message>
    <message>
        <source>Open &amp;data folder</source>
        <translation>Abrir pasta de &amp;dados</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>Sai&amp;r</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Gerar</translation>
    </message>
    <message>
        <source>&amp;Cancel running jobs</source>
        <translation>&amp;Cancelar trabalhos em execução</translation>
    </message>
    <message>
        <source>Focus &amp;prompt</source>
        <translation>Ir para o &amp;prompt</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Exibir</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>&amp;Redefinir layout</translation>
    </message>
    <message>
        <source>Re&amp;fresh gallery</source>
        <translation>&amp;Atualizar galeria</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aj&amp;uda</translation>
    </message>
    <message>
        <source>Open the &amp;error log</source>
        <translation>Abrir o registro de &amp;erros</translation>
    </message>
    <message>
        <source>&amp;About Generative Studio</source>
        <translation>&amp;Sobre o Generative Studio</translation>
    </message>
</context>
<context>
    <name>MaskPainter</name>
    <message>
        <source>Paint mask: {0}</source>
        <translation>Pintar máscara: {0}</translation>
    </message>
    <message>
        <source>cannot read {0}: not an image, or damaged</source>
        <translation>não foi possível ler {0}: não é uma imagem ou está danificada</translation>
    </message>
    <message>
        <source>Paint where the image should change.</source>
        <translation>Pinte onde a imagem deve mudar.</translation>
    </message>
    <message>
        <source>Paint</source>
        <translation>Pintar</translation>
    </message>
    <message>
        <source>Paint: mark what to repaint</source>
        <translation>Pintar: marcar o que será repintado</translation>
    </message>
    <message>
        <source>Erase</source>
        <translation>Apagar</translation>
    </message>
    <message>
        <source>Erase: keep what is there</source>
        <translation>Apagar: manter o que está lá</translation>
    </message>
    <message>
        <source>Brush size in image pixels ([ and ] change it)</source>
        <translation>Tamanho do pincel em pixels da imagem ([ e ] mudam o tamanho)</translation>
    </message>
    <message>
        <source>Brush</source>
        <translation>Pincel</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Limpar</translation>
    </message>
    <message>
        <source>Keep the whole image</source>
        <translation>Manter a imagem inteira</translation>
    </message>
    <message>
        <source>Invert</source>
        <translation>Inverter</translation>
    </message>
    <message>
        <source>Repaint what is kept, keep what is painted</source>
        <translation>Repintar o que é mantido, manter o que está pintado</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Desfazer</translation>
    </message>
    <message>
        <source>Undo the last change (Ctrl+Z)</source>
        <translation>Desfazer a última alteração (Ctrl+Z)</translation>
    </message>
    <message>
        <source>{0} px</source>
        <translation>{0} px</translation>
    </message>
    <message>
        <source>cannot save the mask: {0}</source>
        <translation>não foi possível salvar a máscara: {0}</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>Copy this message</source>
        <translation>Copiar esta mensagem</translation>
    </message>
    <message>
        <source>Edit</source>
        <translation>Editar</translation>
    </message>
    <message>
        <source>Edit this message and send it again</source>
        <translation>Editar esta mensagem e enviá-la de novo</translation>
    </message>
    <message>
        <source>Regenerate</source>
        <translation>Gerar de novo</translation>
    </message>
    <message>
        <source>Ask for another reply</source>
        <translation>Pedir outra resposta</translation>
    </message>
    <message>
        <source>Assistant</source>
        <translation>Assistente</translation>
    </message>
    <message>
        <source>Waiting for the model…</source>
        <translation>Aguardando o modelo…</translation>
    </message>
    <message>
        <source>generating… {0} tokens</source>
        <translation>gerando… {0} tokens</translation>
    </message>
    <message>
        <source>generating…</source>
        <translation>gerando…</translation>
    </message>
    <message>
        <source>the reply failed</source>
        <translation>a resposta falhou</translation>
    </message>
    <message>
        <source>(stopped)</source>
        <translation>(interrompida)</translation>
    </message>
</context>
<context>
    <name>ModelsDock</name>
    <message>
        <source>cannot import {0}: no such file</source>
        <translation>não foi possível importar {0}: o arquivo não existe</translation>
    </message>
    <message>
        <source>verified {0}: {1} model(s) imported into {2}</source>
        <translation>{0} verificado: {1} modelo(s) importado(s) para {2}</translation>
    </message>
    <message>
        <source>{0} already exists; rename the file or remove the old one</source>
        <translation>{0} já existe; renomeie o arquivo ou remova o antigo</translation>
    </message>
    <message>
        <source>cannot copy {0} into {1}: {2}</source>
        <translation>não foi possível copiar {0} para {1}: {2}</translation>
    </message>
    <message>
        <source>imported {0} into {1}</source>
        <translation>{0} importado para {1}</translation>
    </message>
    <message>
        <source>{0} is neither a model pack nor a model file</source>
        <translation>{0} não é um pacote de modelos nem um arquivo de modelo</translation>
    </message>
    <message>
        <source>{0} is missing from {1}; rescan or remove it</source>
        <translation>{0} não está mais em {1}; examine as pastas de novo ou remova-o</translation>
    </message>
    <message>
        <source>Adapters</source>
        <translation>Adaptadores</translation>
    </message>
    <message>
        <source>Unknown</source>
        <translation>Desconhecido</translation>
    </message>
    <message>
        <source>location: {0}</source>
        <translation>local: {0}</translation>
    </message>
    <message>
        <source>hash: {0} (sha256 {1})</source>
        <translation>hash: {0} (sha256 {1})</translation>
    </message>
    <message>
        <source>hash: not computed yet (Verify)</source>
        <translation>hash: ainda não calculado (Verificar)</translation>
    </message>
    <message>
        <source>problem: {0}</source>
        <translation>problema: {0}</translation>
    </message>
    <message>
        <source>note: {0}</source>
        <translation>observação: {0}</translation>
    </message>
    <message>
        <source>quantization {0}</source>
        <translation>quantização {0}</translation>
    </message>
    <message>
        <source>context {0} tokens</source>
        <translation>contexto de {0} tokens</translation>
    </message>
    <message>
        <source>{0} parameters</source>
        <translation>{0} parâmetros</translation>
    </message>
    <message>
        <source>chat template</source>
        <translation>modelo de conversa</translation>
    </message>
    <message>
        <source>fill-in-the-middle</source>
        <translation>preenchimento no meio</translation>
    </message>
    <message>
        <source>{0} new, {1} changed, {2} unchanged, {3} gone, {4} problem(s); {5} model(s)</source>
        <translation>{0} novo(s), {1} alterado(s), {2} sem alteração, {3} removido(s), {4} problema(s); {5} modelo(s)</translation>
    </message>
    <message>
        <source>problem: {0}: {1}</source>
        <translation>problema: {0}: {1}</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelos</translation>
    </message>
    <message>
        <source>Search name or family</source>
        <translation>Pesquisar nome ou família</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>Família</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Tamanho</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Adicionar pasta…</translation>
    </message>
    <message>
        <source>Rescan</source>
        <translation>Examinar de novo</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Carregar</translation>
    </message>
    <message>
        <source>Unload</source>
        <translation>Descarregar</translation>
    </message>
    <message>
        <source>Verify hash</source>
        <translation>Verificar hash</translation>
    </message>
    <message>
        <source>Reveal in file manager</source>
        <translation>Mostrar no gerenciador de arquivos</translation>
    </message>
    <message>
        <source>Info</source>
        <translation>Informações</translation>
    </message>
    <message>
        <source>Import model file or pack…</source>
        <translation>Importar arquivo ou pacote de modelos…</translation>
    </message>
    <message>
        <source>More</source>
        <translation>Mais</translation>
    </message>
    <message>
        <source>{0} ({1})</source>
        <translation>{0} ({1})</translation>
    </message>
    <message>
        <source>loaded</source>
        <translation>carregado</translation>
    </message>
    <message>
        <source>on disk</source>
        <translation>no disco</translation>
    </message>
    <message>
        <source>Add a model folder</source>
        <translation>Adicionar uma pasta de modelos</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>Examinando…</translation>
    </message>
    <message>
        <source>Hashing {0}…</source>
        <translation>Calculando o hash de {0}…</translation>
    </message>
    <message>
        <source>hash {0}</source>
        <translation>hash {0}</translation>
    </message>
    <message>
        <source>Select a model first.</source>
        <translation>Selecione um modelo primeiro.</translation>
    </message>
    <message>
        <source>Loading {0}…</source>
        <translation>Carregando {0}…</translation>
    </message>
    <message>
        <source>{0} is loaded.</source>
        <translation>{0} está carregado.</translation>
    </message>
    <message>
        <source>Unloaded.</source>
        <translation>Descarregado.</translation>
    </message>
    <message>
        <source>It was not loaded.</source>
        <translation>O modelo não estava carregado.</translation>
    </message>
    <message>
        <source>Import a model file or pack</source>
        <translation>Importar um arquivo ou pacote de modelos</translation>
    </message>
    <message>
        <source>Models and packs (*.safetensors *.gguf *.ckpt *.pt *.bin *.studiopack *.tar);;All files (*)</source>
        <translation>Modelos e pacotes (*.safetensors *.gguf *.ckpt *.pt *.bin *.studiopack *.tar);;Todos os arquivos (*)</translation>
    </message>
    <message>
        <source>Importing {0}…</source>
        <translation>Importando {0}…</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <source>Add folder…</source>
        <translation>Adicionar pasta…</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Remover</translation>
    </message>
    <message>
        <source>Folders searched for models:</source>
        <translation>Pastas onde os modelos são procurados:</translation>
    </message>
    <message>
        <source>A1111, ComfyUI and InvokeAI folder layouts are understood, and the Hugging Face cache is searched too. Changes apply at the next rescan of the Models dock.</source>
        <translation>As estruturas de pastas do A1111, ComfyUI e InvokeAI são reconhecidas, e o cache do Hugging Face também é pesquisado. As mudanças valem no próximo exame do painel Modelos.</translation>
    </message>
    <message>
        <source>Not found now (an unplugged drive?)</source>
        <translation>Não encontrada agora (um disco desconectado?)</translation>
    </message>
    <message>
        <source>Add a model folder</source>
        <translation>Adicionar uma pasta de modelos</translation>
    </message>
</context>
<context>
    <name>MusicForm</name>
    <message>
        <source>Diffusion models only (AudioLDM 2, Stable Audio)</source>
        <translation>Somente modelos de difusão (AudioLDM 2, Stable Audio)</translation>
    </message>
    <message>
        <source>Diffusion models only; MusicGen ignores it</source>
        <translation>Somente modelos de difusão; o MusicGen ignora</translation>
    </message>
    <message>
        <source>optional: audio whose melody MusicGen-Melody follows</source>
        <translation>opcional: áudio cuja melodia o MusicGen-Melody segue</translation>
    </message>
    <message>
        <source>optional: audio the music continues</source>
        <translation>opcional: áudio que a música continua</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Negative prompt</source>
        <translation>Prompt negativo</translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation>Segundos</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>Orientação</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Passos</translation>
    </message>
    <message>
        <source>Melody</source>
        <translation>Melodia</translation>
    </message>
    <message>
        <source>Continue from</source>
        <translation>Continuar de</translation>
    </message>
</context>
<context>
    <name>Notice</name>
    <message>
        <source>Details</source>
        <translation>Detalhes</translation>
    </message>
    <message>
        <source>Dismiss</source>
        <translation>Dispensar</translation>
    </message>
</context>
<context>
    <name>OutputsPage</name>
    <message>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <source>Fields: {0}. A / makes a folder.</source>
        <translation>Campos: {0}. Uma / cria uma pasta.</translation>
    </message>
    <message>
        <source>Leave the prompt and parameters out of files</source>
        <translation>Não gravar o prompt e os parâmetros nos arquivos</translation>
    </message>
    <message>
        <source>File names still show the prompt: take {prompt} and {negative} out of the template to keep it out of them too.</source>
        <translation>Os nomes dos arquivos ainda mostram o prompt: tire {prompt} e {negative} do modelo de nome para que ele também fique fora deles.</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Pasta:</translation>
    </message>
    <message>
        <source>File names:</source>
        <translation>Nomes dos arquivos:</translation>
    </message>
    <message>
        <source>Files still say that they are AI-generated (the IPTC label other software reads). The gallery keeps the parameters on this computer.</source>
        <translation>Os arquivos continuam indicando que foram gerados por IA (o rótulo IPTC que outros programas leem). A galeria guarda os parâmetros neste computador.</translation>
    </message>
    <message>
        <source>a lighthouse at dusk</source>
        <translation>um farol ao entardecer</translation>
    </message>
    <message>
        <source>Example: {0}</source>
        <translation>Exemplo: {0}</translation>
    </message>
    <message>
        <source>Output folder</source>
        <translation>Pasta de saída</translation>
    </message>
</context>
<context>
    <name>ParametersDock</name>
    <message>
        <source>Parameters</source>
        <translation>Parâmetros</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>Gerar</translation>
    </message>
    <message>
        <source>Generate (Ctrl+Return)</source>
        <translation>Gerar (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>no parameters form for task {0!r} yet</source>
        <translation>ainda não há formulário de parâmetros para a tarefa {0!r}</translation>
    </message>
    <message>
        <source>no parameters form for {0!r} requests yet</source>
        <translation>ainda não há formulário de parâmetros para pedidos {0!r}</translation>
    </message>
</context>
<context>
    <name>PerformancePage</name>
    <message>
        <source>GPU ({0})</source>
        <translation>GPU ({0})</translation>
    </message>
    <message>
        <source>Automatic (the best available)</source>
        <translation>Automático (o melhor disponível)</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Automatic (fp16 on a GPU, fp32 on the CPU)</source>
        <translation>Automática (fp16 na GPU, fp32 na CPU)</translation>
    </message>
    <message>
        <source>fp32 (full precision)</source>
        <translation>fp32 (precisão total)</translation>
    </message>
    <message>
        <source>fp16 (half precision)</source>
        <translation>fp16 (meia precisão)</translation>
    </message>
    <message>
        <source>bf16 (bfloat16)</source>
        <translation>bf16 (bfloat16)</translation>
    </message>
    <message>
        <source> GB</source>
        <translation> GB</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automático</translation>
    </message>
    <message>
        <source>Device:</source>
        <translation>Dispositivo:</translation>
    </message>
    <message>
        <source>Precision:</source>
        <translation>Precisão:</translation>
    </message>
    <message>
        <source>Memory for models:</source>
        <translation>Memória para modelos:</translation>
    </message>
    <message>
        <source>Device and precision apply from the next job. Memory 0 is automatic: 85% of the GPU&apos;s memory, or half the RAM. Beyond it, the least recently used models are released at the next model load.</source>
        <translation>Dispositivo e precisão valem a partir do próximo trabalho. Memória 0 é automática: 85% da memória da GPU, ou metade da RAM. Acima disso, os modelos usados há mais tempo são liberados no próximo carregamento de modelo.</translation>
    </message>
</context>
<context>
    <name>PrivacyPage</name>
    <message>
        <source>Offline mode: never use the network</source>
        <translation>Modo offline: nunca usar a rede</translation>
    </message>
    <message>
        <source>Models always load from this computer only. While offline mode is on, not even a model download you ask for may use the network.</source>
        <translation>Os modelos sempre são carregados somente deste computador. Com o modo offline ligado, nem mesmo um download de modelo que você pedir pode usar a rede.</translation>
    </message>
</context>
<context>
    <name>QueueDock</name>
    <message>
        <source>Task</source>
        <translation>Tipo</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Progresso</translation>
    </message>
    <message>
        <source>ETA</source>
        <translation>Falta</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>(unreadable request: {0})</source>
        <translation>(pedido ilegível: {0})</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Fila</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Retry</source>
        <translation>Tentar de novo</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>Subir</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>Descer</translation>
    </message>
    <message>
        <source>Pause queue</source>
        <translation>Pausar fila</translation>
    </message>
    <message>
        <source>Select a job first.</source>
        <translation>Selecione um trabalho primeiro.</translation>
    </message>
    <message>
        <source>Resume queue</source>
        <translation>Retomar fila</translation>
    </message>
    <message>
        <source>Queue (paused)</source>
        <translation>Fila (pausada)</translation>
    </message>
</context>
<context>
    <name>SeedField</name>
    <message>
        <source>Randomize</source>
        <translation>Sortear</translation>
    </message>
    <message>
        <source>Pick a new random seed and lock it</source>
        <translation>Sortear uma nova semente e fixá-la</translation>
    </message>
    <message>
        <source>Locked</source>
        <translation>Fixa</translation>
    </message>
    <message>
        <source>Locked: reuse this seed. Unlocked: a random seed on each run</source>
        <translation>Fixa: reutiliza esta semente. Solta: uma semente aleatória a cada execução</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Aleatória</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Configurações</translation>
    </message>
    <message>
        <source>The settings file cannot be read, so defaults are shown; OK replaces it.</source>
        <translation>Não foi possível ler o arquivo de configurações, então os padrões são mostrados; OK o substitui.</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelos</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>Saídas</translation>
    </message>
    <message>
        <source>Performance</source>
        <translation>Desempenho</translation>
    </message>
    <message>
        <source>Privacy &amp;&amp; network</source>
        <translation>Privacidade &amp;&amp; rede</translation>
    </message>
    <message>
        <source>Interface</source>
        <translation>Interface</translation>
    </message>
    <message>
        <source>The settings cannot be saved: {0}</source>
        <translation>Não foi possível salvar as configurações: {0}</translation>
    </message>
</context>
<context>
    <name>SpeechForm</name>
    <message>
        <source>SpeechT5: x-vector .npy/.safetensors; Bark: voice preset .npz</source>
        <translation>SpeechT5: x-vector .npy/.safetensors; Bark: predefinição de voz .npz</translation>
    </message>
    <message>
        <source>SpeechT5 only, when not in &lt;model&gt;/vocoder</source>
        <translation>Somente SpeechT5, quando não está em &lt;modelo&gt;/vocoder</translation>
    </message>
    <message>
        <source>Seconds of silence between sentences</source>
        <translation>Segundos de silêncio entre as frases</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>Locutor</translation>
    </message>
    <message>
        <source>Vocoder</source>
        <translation>Vocoder</translation>
    </message>
    <message>
        <source>Pause (s)</source>
        <translation>Pausa (s)</translation>
    </message>
</context>
<context>
    <name>StoredNames</name>
    <message>
        <source>queued</source>
        <translation>na fila</translation>
    </message>
    <message>
        <source>held</source>
        <translation>retido</translation>
    </message>
    <message>
        <source>running</source>
        <translation>em execução</translation>
    </message>
    <message>
        <source>finished</source>
        <translation>concluído</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>falhou</translation>
    </message>
    <message>
        <source>cancelled</source>
        <translation>cancelado</translation>
    </message>
</context>
<context>
    <name>TagEditor</name>
    <message>
        <source>Tag for {count} output(s): Enter adds it, Esc cancels</source>
        <translation>Tag para {count} resultado(s): Enter adiciona, Esc cancela</translation>
    </message>
</context>
<context>
    <name>TaskBar</name>
    <message>
        <source>Tasks</source>
        <translation>Tarefas</translation>
    </message>
</context>
<context>
    <name>TaskLane</name>
    <message>
        <source>failed: {0}: {1}</source>
        <translation>falhou: {0}: {1}</translation>
    </message>
</context>
<context>
    <name>Tasks</name>
    <message>
        <source>Image</source>
        <translation>Imagem</translation>
    </message>
    <message>
        <source>Chat</source>
        <translation>Conversa</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Código</translation>
    </message>
    <message>
        <source>Translate</source>
        <translation>Tradução</translation>
    </message>
    <message>
        <source>Music</source>
        <translation>Música</translation>
    </message>
    <message>
        <source>Speech</source>
        <translation>Fala</translation>
    </message>
    <message>
        <source>Unconditional image</source>
        <translation>Imagem incondicional</translation>
    </message>
    <message>
        <source>Latent walk</source>
        <translation>Passeio latente</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
</context>
<context>
    <name>TextForm</name>
    <message>
        <source>Select a model in the Models dock</source>
        <translation>Selecione um modelo no painel Modelos</translation>
    </message>
    <message>
        <source>0 = greedy (no sampling)</source>
        <translation>0 = gulosa (sem amostragem)</translation>
    </message>
    <message>
        <source>1 = off</source>
        <translation>1 = desligado</translation>
    </message>
    <message>
        <source>0 = off</source>
        <translation>0 = desligado</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Prompt de sistema</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatura</translation>
    </message>
    <message>
        <source>Top p</source>
        <translation>Top p</translation>
    </message>
    <message>
        <source>Top k</source>
        <translation>Top k</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>Máx. de tokens novos</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Semente</translation>
    </message>
</context>
<context>
    <name>TextViewer</name>
    <message>
        <source>C-family</source>
        <translation>Família C</translation>
    </message>
    <message>
        <source>Config</source>
        <translation>Configuração</translation>
    </message>
    <message>
        <source>the file is gone</source>
        <translation>o arquivo não existe mais</translation>
    </message>
    <message>
        <source>Raw</source>
        <translation>Fonte</translation>
    </message>
    <message>
        <source>Show the Markdown source</source>
        <translation>Mostrar o código-fonte Markdown</translation>
    </message>
    <message>
        <source>only the first {size} MB are shown</source>
        <translation>somente os primeiros {size} MB são mostrados</translation>
    </message>
    <message>
        <source>Cannot show {name}: {reason}</source>
        <translation>Não foi possível mostrar {name}: {reason}</translation>
    </message>
</context>
<context>
    <name>TokenView</name>
    <message>
        <source>chosen: {0!r} ({1:.1%})</source>
        <translation>escolhido: {0!r} ({1:.1%})</translation>
    </message>
    <message>
        <source>alternatives:</source>
        <translation>alternativas:</translation>
    </message>
</context>
<context>
    <name>TranslateForm</name>
    <message>
        <source>Select a model in the Models dock</source>
        <translation>Selecione um modelo no painel Modelos</translation>
    </message>
    <message>
        <source>or a .txt, .md or .srt document instead of the text</source>
        <translation>ou um documento .txt, .md ou .srt no lugar do texto</translation>
    </message>
    <message>
        <source>Beam search width; 1 is greedy decoding</source>
        <translation>Largura da busca em feixe; 1 é decodificação gulosa</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Para</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <source>Document</source>
        <translation>Documento</translation>
    </message>
    <message>
        <source>Sentences per batch</source>
        <translation>Frases por lote</translation>
    </message>
    <message>
        <source>Beams</source>
        <translation>Feixes</translation>
    </message>
</context>
<context>
    <name>TranslateView</name>
    <message>
        <source>Text to translate</source>
        <translation>Texto a traduzir</translation>
    </message>
    <message>
        <source>Translation</source>
        <translation>Tradução</translation>
    </message>
    <message>
        <source>Translate file…</source>
        <translation>Traduzir arquivo…</translation>
    </message>
    <message>
        <source>Translate a .txt, .md or .srt document</source>
        <translation>Traduzir um documento .txt, .md ou .srt</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Translate</source>
        <translation>Traduzir</translation>
    </message>
    <message>
        <source>Translate (Ctrl+Return)</source>
        <translation>Traduzir (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>No model: pick a translation model in the Models dock</source>
        <translation>Nenhum modelo: escolha um modelo de tradução no painel Modelos</translation>
    </message>
    <message>
        <source>Model: {0} (reading its languages…)</source>
        <translation>Modelo: {0} (lendo seus idiomas…)</translation>
    </message>
    <message>
        <source>Model: {0} ({1})</source>
        <translation>Modelo: {0} ({1})</translation>
    </message>
    <message>
        <source>Model: {0}</source>
        <translation>Modelo: {0}</translation>
    </message>
    <message>
        <source>Translate file</source>
        <translation>Traduzir arquivo</translation>
    </message>
    <message>
        <source>Documents ({0})</source>
        <translation>Documentos ({0})</translation>
    </message>
    <message>
        <source>file not found: {0}</source>
        <translation>arquivo não encontrado: {0}</translation>
    </message>
    <message>
        <source>the text</source>
        <translation>o texto</translation>
    </message>
    <message>
        <source>Translating {0}…</source>
        <translation>Traduzindo {0}…</translation>
    </message>
    <message>
        <source>the translation wrote no file</source>
        <translation>a tradução não gravou nenhum arquivo</translation>
    </message>
    <message>
        <source>Saved to &lt;a href=&quot;{0}&quot;&gt;{1}&lt;/a&gt;</source>
        <translation>Salvo em &lt;a href=&quot;{0}&quot;&gt;{1}&lt;/a&gt;</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
</context>
<context>
    <name>UnconditionalForm</name>
    <message>
        <source>DDIM&apos;s noise: 0 is deterministic</source>
        <translation>Ruído do DDIM: 0 é determinístico</translation>
    </message>
    <message>
        <source>Eta</source>
        <translation>Eta</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Semente</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Tamanho do lote</translation>
    </message>
    <message>
        <source>Batch count</source>
        <translation>Número de lotes</translation>
    </message>
</context>
<context>
    <name>ViewerPanel</name>
    <message>
        <source>Previous output (PgUp)</source>
        <translation>Resultado anterior (PgUp)</translation>
    </message>
    <message>
        <source>Next output (PgDn)</source>
        <translation>Próximo resultado (PgDn)</translation>
    </message>
    <message>
        <source>Actions</source>
        <translation>Ações</translation>
    </message>
    <message>
        <source>Show the full record as JSON</source>
        <translation>Mostrar o registro completo em JSON</translation>
    </message>
    <message>
        <source>Open an output from the gallery (double-click or Enter).</source>
        <translation>Abra um resultado da galeria (clique duplo ou Enter).</translation>
    </message>
</context>
<context>
    <name>ViewerParameters</name>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>Texto</translation>
    </message>
    <message>
        <source>Negative prompt</source>
        <translation>Prompt negativo</translation>
    </message>
    <message>
        <source>System prompt</source>
        <translation>Prompt de sistema</translation>
    </message>
    <message>
        <source>Mode</source>
        <translation>Modo</translation>
    </message>
    <message>
        <source>From</source>
        <translation>De</translation>
    </message>
    <message>
        <source>To</source>
        <translation>Para</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Passos</translation>
    </message>
    <message>
        <source>Guidance</source>
        <translation>Orientação</translation>
    </message>
    <message>
        <source>Strength</source>
        <translation>Intensidade</translation>
    </message>
    <message>
        <source>Seconds</source>
        <translation>Segundos</translation>
    </message>
    <message>
        <source>Source image</source>
        <translation>Imagem de origem</translation>
    </message>
    <message>
        <source>Mask</source>
        <translation>Máscara</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Semente</translation>
    </message>
    <message>
        <source>Sampler</source>
        <translation>Amostrador</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Tamanho</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Criado em</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Arquivo</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <source>LoRAs</source>
        <translation>LoRAs</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>Embeddings</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Tamanho do lote</translation>
    </message>
    <message>
        <source>Batch count</source>
        <translation>Número de lotes</translation>
    </message>
    <message>
        <source>History</source>
        <translation>Histórico</translation>
    </message>
    <message>
        <source>Temperature</source>
        <translation>Temperatura</translation>
    </message>
    <message>
        <source>Top p</source>
        <translation>Top p</translation>
    </message>
    <message>
        <source>Top k</source>
        <translation>Top k</translation>
    </message>
    <message>
        <source>Min p</source>
        <translation>Min p</translation>
    </message>
    <message>
        <source>Max new tokens</source>
        <translation>Máx. de tokens novos</translation>
    </message>
    <message>
        <source>Repetition penalty</source>
        <translation>Penalidade de repetição</translation>
    </message>
    <message>
        <source>Stop sequences</source>
        <translation>Sequências de parada</translation>
    </message>
    <message>
        <source>Beams</source>
        <translation>Feixes</translation>
    </message>
    <message>
        <source>Melody</source>
        <translation>Melodia</translation>
    </message>
    <message>
        <source>Continue from</source>
        <translation>Continuar de</translation>
    </message>
    <message>
        <source>Speaker</source>
        <translation>Locutor</translation>
    </message>
    <message>
        <source>Vocoder</source>
        <translation>Vocoder</translation>
    </message>
    <message>
        <source>Pause (s)</source>
        <translation>Pausa (s)</translation>
    </message>
    <message>
        <source>Prefix</source>
        <translation>Prefixo</translation>
    </message>
    <message>
        <source>Suffix</source>
        <translation>Sufixo</translation>
    </message>
    <message>
        <source>Frames</source>
        <translation>Quadros</translation>
    </message>
    <message>
        <source>Frames per second</source>
        <translation>Quadros por segundo</translation>
    </message>
    <message>
        <source>Loop</source>
        <translation>Repetição</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>Precisão</translation>
    </message>
    <message>
        <source>Family</source>
        <translation>Família</translation>
    </message>
    <message>
        <source>Sentences</source>
        <translation>Frases</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Prompt tokens</source>
        <translation>Tokens do prompt</translation>
    </message>
    <message>
        <source>Finish reason</source>
        <translation>Motivo do fim</translation>
    </message>
    <message>
        <source>Chat template</source>
        <translation>Modelo de conversa</translation>
    </message>
    <message>
        <source>Duration (s)</source>
        <translation>Duração (s)</translation>
    </message>
    <message>
        <source>Sample rate</source>
        <translation>Taxa de amostragem</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Canais</translation>
    </message>
    <message>
        <source>Pipeline</source>
        <translation>Pipeline</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Observações</translation>
    </message>
    <message>
        <source>Dropped messages</source>
        <translation>Mensagens descartadas</translation>
    </message>
    <message>
        <source>Code block</source>
        <translation>Bloco de código</translation>
    </message>
    <message>
        <source>Reply</source>
        <translation>Resposta</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Pasta</translation>
    </message>
    <message>
        <source>{count} earlier messages</source>
        <translation>{count} mensagens anteriores</translation>
    </message>
</context>
<context>
    <name>WalkForm</name>
    <message>
        <source>One seed per keyframe, separated by commas</source>
        <translation>Uma semente por quadro-chave, separadas por vírgulas</translation>
    </message>
    <message>
        <source>One prompt per line: one for all keyframes, or one each</source>
        <translation>Um prompt por linha: um para todos os quadros-chave, ou um para cada</translation>
    </message>
    <message>
        <source>Walk back to the first keyframe</source>
        <translation>Voltar ao primeiro quadro-chave</translation>
    </message>
    <message>
        <source>Seeds</source>
        <translation>Sementes</translation>
    </message>
    <message>
        <source>Prompts</source>
        <translation>Prompts</translation>
    </message>
    <message>
        <source>Negative prompt</source>
        <translation>Prompt negativo</translation>
    </message>
    <message>
        <source>Frames between</source>
        <translation>Quadros entre</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>Largura</translation>
    </message>
    <message>
        <source>Height</source>
        <translation>Altura</translation>
    </message>
    <message>
        <source>Guidance (CFG)</source>
        <translation>Orientação (CFG)</translation>
    </message>
    <message>
        <source>Frames per second</source>
        <translation>Quadros por segundo</translation>
    </message>
</context>
<context>
    <name>WaveformWidget</name>
    <message>
        <source>No waveform</source>
        <translation>Sem forma de onda</translation>
    </message>
</context>
<context>
    <name>WelcomePanel</name>
    <message>
        <source>Welcome to Generative Studio</source>
        <translation>Bem-vindo ao Generative Studio</translation>
    </message>
    <message>
        <source>Create demo models</source>
        <translation>Criar modelos de demonstração</translation>
    </message>
    <message>
        <source>Add model folder…</source>
        <translation>Adicionar pasta de modelos…</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Adicionar</translation>
    </message>
    <message>
        <source>Demo models are tiny and untrained: they are built on this computer in a few seconds, without the internet, and their outputs are noise. They let you try every view; delete them any time.</source>
        <translation>Os modelos de demonstração são minúsculos e não treinados: são criados neste computador em poucos segundos, sem internet, e seus resultados são ruído. Eles permitem experimentar todas as telas; exclua-os quando quiser.</translation>
    </message>
    <message>
        <source>&lt;li&gt;(no folders yet)&lt;/li&gt;</source>
        <translation>&lt;li&gt;(nenhuma pasta ainda)&lt;/li&gt;</translation>
    </message>
    <message>
        <source>No models yet. Models are looked for in your model folders:&lt;ul&gt;{0}&lt;/ul&gt;and in the Hugging Face cache ({1}). Add the folder where your models live (an AUTOMATIC1111, ComfyUI or InvokeAI models folder works as it is), or create demo models to try the studio now.</source>
        <translation>Nenhum modelo ainda. Os modelos são procurados nas suas pastas de modelos:&lt;ul&gt;{0}&lt;/ul&gt;e no cache do Hugging Face ({1}). Adicione a pasta onde estão seus modelos (uma pasta de modelos do AUTOMATIC1111, ComfyUI ou InvokeAI funciona do jeito que está) ou crie modelos de demonstração para experimentar o studio agora.</translation>
    </message>
    <message>
        <source>Adding and scanning {0}…</source>
        <translation>Adicionando e examinando {0}…</translation>
    </message>
    <message>
        <source>Building demo models…</source>
        <translation>Criando modelos de demonstração…</translation>
    </message>
    <message>
        <source>Found {0}: add them? Their models stay where they are.</source>
        <translation>Encontrei {0}: adicionar? Os modelos ficam onde estão.</translation>
    </message>
    <message>
        <source>Found {0}: add it? Its models stay where they are.</source>
        <translation>Encontrei {0}: adicionar? Os modelos ficam onde estão.</translation>
    </message>
    <message>
        <source>{0} with {1}</source>
        <translation>{0} com {1}</translation>
    </message>
    <message>
        <source>{0} with 1 model</source>
        <translation>{0} com 1 modelo</translation>
    </message>
    <message>
        <source>{0} with {1} models</source>
        <translation>{0} com {1} modelos</translation>
    </message>
    <message>
        <source>Added {0}. New models: {1}.</source>
        <translation>{0} adicionados. Modelos novos: {1}.</translation>
    </message>
    <message>
        <source>Files that cannot be used: {0}.</source>
        <translation>Arquivos que não podem ser usados: {0}.</translation>
    </message>
    <message>
        <source>Could not add the model stores: {0}</source>
        <translation>Não foi possível adicionar os acervos de modelos: {0}</translation>
    </message>
    <message>
        <source>Building {0}…</source>
        <translation>Criando {0}…</translation>
    </message>
    <message>
        <source>Could not create demo models: {0}</source>
        <translation>Não foi possível criar os modelos de demonstração: {0}</translation>
    </message>
    <message>
        <source>{0} demo models ready.</source>
        <translation>{0} modelos de demonstração prontos.</translation>
    </message>
</context>
</TS>
