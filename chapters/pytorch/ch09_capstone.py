"""Chapter 9's capstone in PyTorch: the same data, network, loss, optimizer and training loop.

Needs `pip install torch`. The chapter shows this file; tests/parity/test_capstone_torch.py
runs it next to dlnotes from the same initial weights.
"""

import copy

import torch
from torch import nn


def standardize(X_train, *others):
    """One mean and one standard deviation over all training pixels (Chapter 5), applied to every set."""
    mean, std = X_train.mean(), X_train.std(correction=0)  # population std, as dlnotes' StandardScaler
    return [(X - mean) / std for X in (X_train, *others)]


def build_model(n_features=64, hidden=(64, 64), n_classes=10, p=0.2, dtype=torch.float64):
    """Linear -> BatchNorm1d -> ReLU -> Dropout per hidden layer, then Linear; He-uniform weights, zero biases."""
    layers, n_in = [], n_features
    for width in hidden:
        layers += [nn.Linear(n_in, width, dtype=dtype), nn.BatchNorm1d(width, dtype=dtype), nn.ReLU(), nn.Dropout(p)]
        n_in = width
    layers.append(nn.Linear(n_in, n_classes, dtype=dtype))
    model = nn.Sequential(*layers)
    for layer in model:
        if isinstance(layer, nn.Linear):
            nn.init.kaiming_uniform_(layer.weight, nonlinearity="relu")  # gain sqrt(2) over fan_in (Chapter 6)
            nn.init.zeros_(layer.bias)
    return model


def train_epoch(model, optimizer, X, y, batch_size=128, generator=None, shuffle=True):
    """One epoch of minibatch steps in training mode; returns the loss of every minibatch."""
    model.train()
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(X), generator=generator) if shuffle else torch.arange(len(X))
    losses = []
    for start in range(0, len(X), batch_size):
        rows = order[start:start + batch_size]
        optimizer.zero_grad()
        loss = loss_fn(model(X[rows]), y[rows])
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


@torch.no_grad()
def evaluate(model, X, y):
    """Loss and accuracy in evaluation mode (dropout off, BatchNorm on its running statistics)."""
    model.eval()
    outputs = model(X)
    return nn.functional.cross_entropy(outputs, y).item(), (outputs.argmax(dim=1) == y).double().mean().item()


def fit(model, X_train, y_train, X_val, y_val, lr=0.01, epochs=30, patience=5, batch_size=128, seed=0):
    """Adam with early stopping on the validation loss; ends with the best epoch's weights."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    best_loss, best_state, waited = float("inf"), None, 0
    for epoch in range(1, epochs + 1):
        train_epoch(model, optimizer, X_train, y_train, batch_size, generator)
        val_loss, val_accuracy = evaluate(model, X_val, y_val)
        if val_loss < best_loss:
            best_loss, best_state, waited = val_loss, copy.deepcopy(model.state_dict()), 0
        else:
            waited += 1
            if waited >= patience:
                break
    model.load_state_dict(best_state)
    return model
