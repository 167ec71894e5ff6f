# Paradarum bot — português (Brasil). Keys and placeables as in en-US.ftl; the user is
# addressed with "você"; a ticket is a "chamado", as Brazilian support desks say.

## Tópicos e status (os números da API nunca mudam)

topic-general = Geral
topic-networking = Rede
topic-rules = Regras
topic-billing = Cobrança
topic-ssl = SSL / Certificados
topic-performance = Desempenho
topic-unknown = Tópico desconhecido ({ $value })
topic-general-hint = Qualquer assunto que não se encaixe em outra categoria.
topic-networking-hint = Conectividade, roteamento, acesso à origem, problemas de DNS.
topic-rules-hint = Regras de cache, regras de cabeçalho e como as regras são aplicadas.
topic-billing-hint = Faturas, planos e cobranças da conta.
topic-ssl-hint = Certificados TLS e configuração de HTTPS.
topic-performance-hint = Dúvidas sobre latência, taxa de acerto do cache e vazão.
topic-unknown-hint = Um tópico que esta versão do bot ainda não conhece.

status-open = Aberto
status-in-progress = Em andamento
status-resolved = Resolvido
status-closed = Fechado
status-unknown = Status desconhecido ({ $value })
status-open-meaning = Recém-criado ou reaberto; aguardando atendimento.
status-in-progress-meaning = O suporte está trabalhando nele.
status-resolved-meaning = Marcado como resolvido pelo suporte. Responder reabre o chamado.
status-closed-meaning = Finalizado e bloqueado — não aceita mais mensagens.
status-unknown-meaning = Um status que esta versão do bot ainda não conhece.

## Comandos (nomes: de 1 a 32 caracteres, minúsculos, sem espaços)

cmd-ticket = chamado
    .description = Abra, acompanhe, responda e feche seus chamados de suporte da Paradarum
cmd-ticket-open = abrir
    .description = Abrir um novo chamado de suporte
    .topic = tópico
    .topic-description = Do que se trata o chamado: escolha o tópico mais específico
    .property = site
    .property-description = O site envolvido, se houver
cmd-ticket-status = status
    .description = Mostrar o status de um chamado, o que ele significa e as últimas mensagens
    .ticket = chamado
    .ticket-description = Um dos seus chamados
cmd-ticket-list = listar
    .description = Listar seus chamados, os mais recentes primeiro
    .status = status
    .status-description = Somente chamados com este status
cmd-ticket-reply = responder
    .description = Responder a um dos seus chamados (responder a um chamado resolvido o reabre)
    .ticket = chamado
    .ticket-description = Um dos seus chamados
    .attachment = anexo
    .attachment-description = Um arquivo para anexar (captura de tela, log…)
cmd-ticket-close = fechar
    .description = Fechar um dos seus chamados (definitivo: um chamado fechado não aceita mais mensagens)
    .ticket = chamado
    .ticket-description = Um dos seus chamados
cmd-ticket-link = vincular
    .description = Vincular sua conta Paradarum com um token de API do seu painel
cmd-ticket-unlink = desvincular
    .description = Desvincular sua conta Paradarum do Discord
cmd-ticket-escalate = escalar
    .description = Mover um chamado para { topic-billing } ou { topic-ssl } (moderadores da comunidade)
    .ticket = chamado
    .ticket-description = O número do chamado
    .to = equipe
    .to-description = A equipe que deve assumir o chamado
    .reason = motivo
    .reason-description = Por que ele pertence a essa equipe (visível para o suporte)
cmd-sandbox = sandbox
    .description = Somente sandbox: agir como o suporte da Paradarum em um chamado (administradores)
cmd-sandbox-progress = andamento
    .description = Somente sandbox: colocar um chamado Em andamento, como o suporte faria
    .ticket = chamado
    .ticket-description = O número do chamado
cmd-sandbox-resolve = resolver
    .description = Somente sandbox: marcar um chamado como Resolvido, como o suporte faria
    .ticket = chamado
    .ticket-description = O número do chamado

## Erros

error-unavailable-unchanged = O serviço de chamados não está disponível agora. Nada foi alterado, então você pode tentar de novo daqui a pouco sem problemas. (ref. `{ $reference }`)
error-unavailable-unknown = O serviço de chamados não deu uma resposta clara, então não sei se a operação foi concluída. Confira com `/ticket status` ou `/ticket list` antes de tentar de novo. (ref. `{ $reference }`)
error-unavailable-retry = O serviço de chamados não deu uma resposta clara, então não sei se a operação foi concluída. Clique em **Tentar de novo** quando quiser: ela é enviada como a mesma solicitação, então não pode acontecer duas vezes. (ref. `{ $reference }`)
error-internal = Algo deu errado do nosso lado. Tente de novo; se continuar acontecendo, informe ao suporte esta referência: `{ $reference }`.
error-framework = Algo deu errado do nosso lado (ref. `{ $reference }`). Tente de novo.
error-bad-option = Não consegui ler uma das opções. Escolha entre as sugestões.
error-unknown-form = Não conheço esse formulário.
button-try-again = Tentar de novo
error-not-found = Não encontrei o chamado #{ $ticket_id } entre os seus. Confira o número com `/ticket list`.
error-not-found-any = Não encontrei esse chamado entre os seus. Confira o número com `/ticket list`.
error-ticket-closed = O chamado #{ $ticket_id } está fechado. Isso é definitivo: ele não aceita mais mensagens nem alterações. Abra um novo chamado com `/ticket open` se precisar de mais ajuda.
error-ticket-closed-any = Esse chamado está fechado. Isso é definitivo: ele não aceita mais mensagens nem alterações. Abra um novo chamado com `/ticket open` se precisar de mais ajuda.
error-validation = Isso não foi aceito ({ $field }): { $message }
error-idempotency-conflict = Esse formulário já foi enviado com outro texto. Comece de novo com `/ticket open`.
error-unauthorized = A Paradarum não aceitou o seu token vinculado. Vincule sua conta de novo com `/ticket link`.
error-forbidden = A Paradarum não permite isso para a sua conta.
error-too-large = Isso é grande demais: { $message }

## /ticket open

open-bad-property = Não foi possível usar esse site. Escolha um da lista ou deixe o campo vazio.
open-cooldown = Você acabou de abrir um chamado. Poderá abrir outro em { $seconds } s.
open-form-title = Novo chamado: { $topic }
open-form-subject = Assunto
open-form-subject-placeholder = Em uma linha: qual é o problema?
open-form-description = Descrição
open-opened = O chamado #{ $ticket_id } está aberto. Só você pode ver isto.

## Contas vinculadas

link-unreadable-hint = Não foi possível ler seu vínculo: execute /ticket link de novo
link-unreadable-hint-sandbox = Não foi possível ler seu vínculo: use /ticket unlink e tente de novo
link-not-linked-hint = Ainda não vinculado: use /ticket link com um token do seu painel Paradarum
link-not-linked = Sua conta do Discord ainda não está vinculada à Paradarum. Use `/ticket link` com um token de API do seu painel Paradarum e tente de novo.
link-unreadable = Não foi possível ler a sua conta Paradarum vinculada: a chave de criptografia do bot mudou desde que você a vinculou. Nada foi alterado. Execute `/ticket link` de novo com um token de API do seu painel Paradarum e tente outra vez.
link-unreadable-sandbox = Não foi possível ler a sua conta sandbox vinculada: a chave de criptografia do bot mudou desde que ela foi criada. Nada foi alterado. Execute `/ticket unlink` e tente de novo: seu próximo comando cria uma nova conta sandbox para você.

## Cartões de chamado e listas

author-customer = Você
author-staff = Suporte Paradarum
author-system = Sistema
author-unknown = Alguém
next-open = O suporte vai atendê-lo em breve. Use `/ticket reply` para acrescentar detalhes.
next-in-progress = O suporte está trabalhando nele. Use `/ticket reply` para acrescentar detalhes.
next-resolved = O suporte o marcou como resolvido. Responder reabre o chamado; `/ticket close` o encerra de vez.
next-closed = Este chamado está fechado: é definitivo e não aceita mais mensagens.
next-unknown = Acompanhe-o com `/ticket status`.
card-title = Chamado #{ $ticket_id } · { $subject }
card-topic = Tópico
card-status = Status
card-updated = Atualizado
card-property = Site
card-status-means = O que significa "{ $status }"
card-attachments = 📎 { $count ->
    [one] { $count } anexo
   *[other] { $count } anexos
}
card-next = Próximos passos
card-footer = Tópico: { $topic } · { $hint }
list-title = Seus chamados
list-title-status = Seus chamados: { $status }
list-empty = Nenhum chamado aqui. Abra um com `/ticket open`.
list-footer = Página { $page } · mais recentes primeiro
close-confirm-title = Fechar o chamado #{ $ticket_id }?
close-confirm-text = Fechar é definitivo: um chamado fechado fica bloqueado e não aceita mais mensagens. (Resolvido é diferente: o suporte marca um chamado como resolvido, e uma resposta o reabre.)
close-confirm-status = Status atual

## /ticket close

close-already = O chamado #{ $ticket_id } já está fechado.
close-button-confirm = Fechar chamado
close-button-keep = Manter aberto
close-closed = O chamado #{ $ticket_id } agora está fechado. Isso é definitivo; abra um novo chamado se precisar de mais ajuda.
close-kept = O chamado #{ $ticket_id } continua como estava. Nada foi alterado.

## /ticket list

list-first-page = Primeira página
list-next-page = Próxima página

## /ticket link e unlink

link-form-title = Vincular sua conta Paradarum
link-form-token = Token de API
link-form-placeholder = Cole um token do painel da Paradarum
link-token-refused = A Paradarum não aceitou esse token, então nada foi salvo. Copie um token de API de cliente do seu painel Paradarum e tente de novo.
link-linked = Vinculado à conta Paradarum **{ $account }**. Seus comandos `/ticket` agora agem por ela.
link-unlinked = Desvinculado. O bot não guarda mais nenhum token Paradarum seu; `/ticket link` vincula de novo.
link-was-not-linked = Sua conta do Discord não estava vinculada.

## Tentar de novo

retry-too-old = Essa tentativa é antiga demais para ser reenviada com segurança. Confira com `/ticket list` se ela foi concluída antes de tentar de novo.
retry-not-yours = Esse botão não é seu.
retry-backend-changed = O serviço de chamados mudou desde então, por isso essa tentativa não pode ser reenviada. Confira com `/ticket list` antes de tentar de novo.

## /ticket reply

reply-bad-ticket = Esse número de chamado não é válido.
reply-attachment-host = Esse anexo não está nos servidores de arquivos do Discord, então não pode ser encaminhado.
reply-attachment-too-big = Esse arquivo tem { $size } MiB; o máximo que pode ser anexado é { $max } MiB.
reply-form-title = Resposta ao chamado #{ $ticket_id }
reply-form-title-reopens = Resposta ao #{ $ticket_id } (reabre o chamado)
reply-form-message = Mensagem
reply-form-placeholder = Sua mensagem para o suporte da Paradarum
reply-form-placeholder-reopens = Este chamado está resolvido: responder o reabre.
reply-attachment-lost = Seu anexo se perdeu antes de o formulário ser enviado, então nada foi enviado. Execute `/ticket reply` de novo e anexe o arquivo outra vez.
reply-added = Sua resposta foi adicionada ao chamado #{ $ticket_id }.
reply-added-reopened = Sua resposta foi adicionada ao chamado #{ $ticket_id }. Ele estava resolvido, então foi reaberto.
reply-downloads-busy = Muitas respostas com arquivos estão sendo enviadas agora, então nada foi enviado. Tente de novo daqui a um minuto.
reply-attachment-unfetchable = Não foi possível baixar o anexo do Discord, então nada foi enviado. Tente sem ele ou anexe-o de novo.
reply-attachment-grew = O anexo é maior do que o permitido; nada foi enviado.

## Comuns

error-pick-ticket = Escolha um chamado da lista ou digite o número dele (como `12`). `/ticket list` mostra seus chamados.
error-subject-empty = O assunto não pode ficar vazio.
error-subject-too-long = O assunto tem { $length } caracteres; o máximo é { $max }.
error-message-empty = A mensagem não pode ficar vazia.
error-message-too-long = A mensagem tem { $length } caracteres; o máximo é { $max }.
error-reason-empty = O motivo não pode ficar vazio.
error-reason-too-long = O motivo tem { $length } caracteres; o máximo é { $max }.

## /sandbox

sandbox-not-sandbox = Este comando só funciona com a API de chamados sandbox.
sandbox-wrong-server = /sandbox só funciona no servidor definido em DISCORD_GUILD_ID.
sandbox-not-admin = Só administradores do servidor podem usar /sandbox.
sandbox-set = O chamado #{ $ticket_id } agora está { $status } (sandbox).

## /ticket escalate

escalate-not-moderator = Só moderadores da comunidade podem escalar chamados, e apenas pelo servidor.
escalate-bad-target = Chamados só podem ser escalados para { topic-billing } ou { topic-ssl }.
escalate-bad-reason = Informe um motivo de 1 a { $max } caracteres.
escalate-not-configured = A escalação não está configurada: o bot não tem um PARADARUM_API_TOKEN com o escopo tickets:topic.
escalate-no-such-ticket = Não existe o chamado #{ $ticket_id }.
escalate-closed = O chamado #{ $ticket_id } está fechado, e chamados fechados ficam bloqueados: nada foi alterado.
escalate-bad-topic = Esse tópico não pode ser usado.
escalate-unchanged = O chamado #{ $ticket_id } já está em { $topic }: nada a fazer.
escalate-moved = Chamado #{ $ticket_id } movido: { $from } → **{ $to }**. Status: { $status }. A equipe de { $to } foi avisada.

## Mensagens nos canais do suporte

notify-topic-unknown = Tópico desconhecido
notify-status-unknown = desconhecido
notify-subject-unavailable = (assunto indisponível)
staff-field-topic = Tópico
staff-field-subject = Assunto
staff-field-opened-by = Aberto pelo Discord por
staff-field-moved = Movido
staff-field-reason = Motivo
staff-no-reason = (nenhum informado)
staff-title-moved = Chamado #{ $ticket_id } movido para { $topic }
staff-title-status = O chamado #{ $ticket_id } agora está { $status }
staff-footer-event = Evento { $event }
staff-line-status = agora **{ $status }**
staff-heading-moved = { $count ->
    [one] { $count } chamado movido para outro tópico
   *[other] { $count } chamados movidos para outro tópico
}
staff-heading-status = { $count ->
    [one] { $count } chamado mudou de status
   *[other] { $count } chamados mudaram de status
}
staff-heading-resolved = { $count ->
    [one] { $count } chamado resolvido
   *[other] { $count } chamados resolvidos
}

## Mensagens diretas ao cliente

dm-resolved-title = Seu chamado #{ $ticket_id } está resolvido
dm-resolved-text = O suporte o marcou como resolvido. Se não estiver, responda e ele será reaberto; se estiver, você pode fechá-lo (fechar é definitivo).
dm-moved-title = Chamado #{ $ticket_id } movido para { $topic }
dm-moved-text = Seu chamado foi movido para { $topic } para que a equipe certa o atenda.
dm-in-progress-title = O chamado #{ $ticket_id } está em andamento
dm-in-progress-text = O suporte está trabalhando nele.
dm-reopened-title = O chamado #{ $ticket_id } foi reaberto
dm-reopened-text = Ele está aguardando o suporte de novo.
dm-closed-title = O chamado #{ $ticket_id } está fechado
dm-closed-text = Isso é definitivo; abra um novo chamado com /ticket open se precisar de mais ajuda.
dm-staff-reply-title = O suporte respondeu ao chamado #{ $ticket_id }
dm-staff-reply-text = Veja com /ticket status.
dm-updated-title = O chamado #{ $ticket_id } foi atualizado
dm-button-reply = Responder
dm-button-close = Fechar chamado (definitivo)

## Respostas do suporte (#13)
error-status-changed = O chamado #{ $ticket_id } já está com o status { $status }: nada foi alterado.
error-status-changed-any = Esse chamado já está com o status { $status }: nada foi alterado.
author-staff-named = { $name } · Suporte Paradarum
dm-staff-reply-named-title = { $name } respondeu ao chamado #{ $ticket_id }
dm-staff-reply-read-all-footer = Esta resposta é mais longa do que cabe em uma mensagem: "Ler tudo" mostra a resposta inteira.
dm-button-read-all = Ler tudo
read-all-title = Chamado #{ $ticket_id } · { $author }
read-all-page = Página { $page } de { $pages }
read-all-gone = Essa resposta não está mais no chamado.
read-all-previous = Página anterior
read-all-next = Próxima página
error-staff-name-invalid = Esse nome não pode assinar uma resposta: ele precisa ter de 1 a { $max } caracteres em uma só linha.
error-message-control = Esse texto tem caracteres que não pode conter (caracteres de controle).

## Mesa do suporte (#13): os botões dos avisos ao suporte e suas edições (no idioma do
## suporte), e as respostas a quem apertou (no idioma dessa pessoa)
staff-button-view = Ver
staff-button-start = Começar
staff-button-resolve = Resolver
staff-button-reply = Responder
staff-title-new = Novo chamado #{ $ticket_id }
staff-heading-new = { $count ->
    [one] { $count } chamado novo
   *[other] { $count } chamados novos
}
staff-edit-title = Chamado #{ $ticket_id } · { $status }
staff-field-status = Status
staff-field-latest = Última mudança
staff-field-last-action = Última ação
staff-latest-resolved = { status-resolved }
staff-latest-in-progress = Atendimento começou ({ status-in-progress })
staff-latest-reopened = { status-open } de novo
staff-latest-closed = { status-closed }
staff-latest-moved = Movido para { $topic }
staff-latest-staff-reply = O suporte respondeu
staff-latest-customer-reply = O cliente escreveu
staff-latest-opened = Aberto
staff-latest-updated = Atualizado
staff-acted-start = Começado por { $user } ({ $name }) { $when }
staff-acted-resolve = Resolvido por { $user } ({ $name }) { $when }
staff-acted-reply = Respondido por { $user } ({ $name }) { $when }
staff-not-staff = Só a equipe de suporte da Paradarum pode atender chamados por estes avisos. Nada foi alterado.
staff-not-configured = As ações do suporte não estão configuradas: o bot não tem PARADARUM_API_TOKEN. Nada foi alterado.
staff-token-refused = A API de chamados recusa o PARADARUM_API_TOKEN do bot. Nada foi alterado; alguém da operação precisa verificar o token.
staff-missing-scope = O PARADARUM_API_TOKEN do bot não tem o escopo `{ $scope }`, então o suporte não pode fazer isso pelo Discord. Nada foi alterado; alguém da operação pode adicionar o escopo.
staff-done = O chamado #{ $ticket_id } agora está **{ $status }**. O aviso vai mostrar isso em instantes.
staff-already = O chamado #{ $ticket_id } já está **{ $status }**. Nada foi alterado.
staff-already-by = O chamado #{ $ticket_id } já está **{ $status }** (por { $name }, { $when }). Nada foi alterado.
staff-moved-on = O chamado #{ $ticket_id } mudou desde que este aviso foi criado: agora está **{ $status }**. Nada foi alterado; o aviso vai mostrar isso em instantes.
staff-moved-on-by = O chamado #{ $ticket_id } mudou desde que este aviso foi criado: agora está **{ $status }** (por { $name }, { $when }). Nada foi alterado; o aviso vai mostrar isso em instantes.
staff-no-ticket = Não existe o chamado #{ $ticket_id }.
staff-closed = O chamado #{ $ticket_id } está { status-closed }, e chamados nesse status ficam bloqueados. Nada foi alterado.
staff-replied = Sua resposta foi enviada ao cliente do chamado #{ $ticket_id }.
staff-reply-title = Resposta do suporte ao chamado #{ $ticket_id }
staff-reply-label = Mensagem para o cliente
staff-reply-placeholder = O cliente vê isto, junto com o seu nome de exibição.

## Front door (#14): o painel de chamados e "Abrir chamado desta mensagem"
cmd-ticket-panel = painel
    .description = Publicar ou atualizar o painel de chamados deste canal (membros com "Gerenciar servidor")
cmd-open-from-message = Abrir chamado desta mensagem
panel-text = **Precisa de ajuda do suporte da Paradarum?**
    Escolha um assunto abaixo para abrir um chamado. Só você verá o formulário e as respostas.
panel-placeholder = Escolha um assunto para abrir um chamado
panel-dm-refused = Um painel de chamados fica em um canal do servidor: use `/ticket panel` lá, não em uma mensagem direta.
panel-not-allowed = Só membros com a permissão **Gerenciar servidor** podem publicar um painel de chamados. Nada foi publicado.
panel-posted = O painel de chamados foi publicado neste canal.
panel-updated = O painel de chamados deste canal foi atualizado (a mesma mensagem, nada novo foi publicado).
panel-cannot-post = Não tenho permissão para publicar neste canal. Me dê **Ver canais** e **Enviar mensagens** aqui e use `/ticket panel` de novo. Nada foi publicado.
panel-unknown-topic = Não conheço esse assunto. Escolha de novo, por favor.
from-message-pick-topic = Sobre o que é o chamado? Escolha um assunto; em seguida o formulário abre com a mensagem já preenchida.
from-message-not-kept = Não consegui guardar os dados dessa mensagem agora. Nada foi aberto; tente de novo daqui a pouco.
from-message-reference = Mensagem de { $author }: { $link }
open-which-property = De qual site se trata? Escolha um e depois preencha o formulário.
open-no-property = Nenhum em particular
open-prefill-gone = Não tenho mais os dados dessa mensagem (eles ficam guardados por uma hora). Use **Abrir chamado desta mensagem** nela de novo.
open-unknown-choice = Não conheço essa opção. Escolha de novo, por favor.
